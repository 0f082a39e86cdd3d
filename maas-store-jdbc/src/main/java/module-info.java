/**
 * The JDBC stores (H2 by default, PostgreSQL for several replicas): keys, catalog, ledger, audit
 * and the shared limit backend.
 */
module dev.maas4j.store.jdbc {
    requires transitive dev.maas4j.core;
    requires transitive java.sql;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires com.zaxxer.hikari;
    requires io.github.bucket4j.core;
    requires org.jdbi.v3.core;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports dev.maas4j.store.jdbc;

    opens dev.maas4j.store.jdbc.internal to com.fasterxml.jackson.databind;
}
