package dev.maas4j.servlet;

/** The host's own synchronous servlet behind the filter, on embedded Jetty 12. */
class JettyHostServletTest extends HostServletContractTest {
    @Override
    ServletHost host() {
        return new JettyHost();
    }
}
