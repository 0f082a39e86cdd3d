package dev.maas4j.servlet;

/** The security suite on embedded Tomcat 11. */
class TomcatSecurityTest extends SecurityContractTest {
    @Override
    ServletHost newHost() {
        return new TomcatHost();
    }
}
