package dev.maas4j.servlet;

/** The integration suite on embedded Jetty 12. */
class JettyGatewayTest extends GatewayContractTest {
    @Override
    ServletHost host() {
        return new JettyHost();
    }
}
