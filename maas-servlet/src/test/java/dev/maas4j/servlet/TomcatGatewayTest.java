package dev.maas4j.servlet;

/** The integration suite on embedded Tomcat 11 (run by its own Surefire execution, without Jetty). */
class TomcatGatewayTest extends GatewayContractTest {
    @Override
    ServletHost host() {
        return new TomcatHost();
    }
}
