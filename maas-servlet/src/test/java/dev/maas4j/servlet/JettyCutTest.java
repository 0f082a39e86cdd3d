package dev.maas4j.servlet;

/** The cut suite on embedded Jetty 12. */
class JettyCutTest extends CutContractTest {
    @Override
    ServletHost newHost() {
        return new JettyHost();
    }
}
