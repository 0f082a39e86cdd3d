/**
 * The engine: authentication, authorization, subscription choice, limits, admission and
 * settlement of every model request, and the in-memory stores. Its {@code internal} packages are
 * exported to no one; the adapters (servlet filter, management API) use the public facade.
 */
module dev.maas4j.core {
    requires transitive dev.maas4j.api;
    requires transitive micrometer.core;
    requires com.fasterxml.jackson.core;
    requires com.github.benmanes.caffeine;
    requires io.github.bucket4j.core;
    requires org.slf4j;

    exports dev.maas4j.core;
    exports dev.maas4j.core.usage;
}
