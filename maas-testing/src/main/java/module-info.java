/**
 * What a third-party store or adapter needs to prove itself: the SPI contracts, manual clocks,
 * the fake OpenAI upstream and JUnit extensions for H2 and PostgreSQL.
 */
module dev.maas4j.testing {
    requires transitive dev.maas4j.core;
    requires transitive org.junit.jupiter.api;
    requires com.fasterxml.jackson.core;
    requires io.github.bucket4j.core;
    requires transitive jdk.httpserver;
    requires static embedded.postgres;
    requires awaitility;
    requires java.sql;

    exports dev.maas4j.testing;
}
