package dev.maas4j.servlet;

/** The cut suite on embedded Tomcat 11. */
class TomcatCutTest extends CutContractTest {
    @Override
    ServletHost newHost() {
        return new TomcatHost();
    }
}
