package dev.maas4j.servlet;

/** The idle-timeout suite on embedded Tomcat 11. */
class TomcatIdleTimeoutTest extends IdleTimeoutContractTest {
    @Override
    ServletHost host() {
        return new TomcatHost();
    }
}
