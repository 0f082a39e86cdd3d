package dev.maas4j.servlet;

/** The idle-timeout suite on embedded Jetty 12. */
class JettyIdleTimeoutTest extends IdleTimeoutContractTest {
    @Override
    ServletHost host() {
        return new JettyHost();
    }
}
