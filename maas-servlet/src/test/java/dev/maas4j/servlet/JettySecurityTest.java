package dev.maas4j.servlet;

/** The security suite on embedded Jetty 12. */
class JettySecurityTest extends SecurityContractTest {
    @Override
    ServletHost newHost() {
        return new JettyHost();
    }
}
