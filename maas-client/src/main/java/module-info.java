/**
 * A typed client of a maas4j gateway on {@code java.net.http}: the OpenAI-compatible model API
 * and the management API. Its value types are bound by Jackson, which is why their packages are
 * open to it.
 */
module dev.maas4j.client {
    requires transitive java.net.http;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;

    exports dev.maas4j.client;
    exports dev.maas4j.client.admin;

    opens dev.maas4j.client to com.fasterxml.jackson.databind;
    opens dev.maas4j.client.admin to com.fasterxml.jackson.databind;
    opens dev.maas4j.client.internal to com.fasterxml.jackson.databind;
}
