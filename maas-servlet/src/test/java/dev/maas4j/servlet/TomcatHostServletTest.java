package dev.maas4j.servlet;

/** The host's own synchronous servlet behind the filter, on embedded Tomcat 11 (its own Surefire execution). */
class TomcatHostServletTest extends HostServletContractTest {
    @Override
    ServletHost host() {
        return new TomcatHost();
    }
}
