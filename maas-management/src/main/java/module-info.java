/**
 * The management API (keys, catalog, usage, audit) as a servlet, and the caller-identity SPI with
 * its resolvers. Its request and response bodies are bound by Jackson inside the module.
 */
module dev.maas4j.management {
    requires transitive dev.maas4j.core;
    requires transitive jakarta.servlet;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.core;
    requires com.github.benmanes.caffeine;
    requires com.nimbusds.jose.jwt;
    requires org.slf4j;

    exports dev.maas4j.management;

    opens dev.maas4j.management.internal to com.fasterxml.jackson.databind;
}
