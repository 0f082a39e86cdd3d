/**
 * Internals of the JDBC store: SQL, migrations, the change feed and the bucket proxy manager.
 * Not a supported API: anything here may change in any release.
 */
package dev.maas4j.store.jdbc.internal;
