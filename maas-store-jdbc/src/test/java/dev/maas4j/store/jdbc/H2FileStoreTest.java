package dev.maas4j.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contracts on an H2 database in a file, a new one per test. */
class H2FileStoreTest extends StoreContracts {
    @TempDir
    Path dir;

    @Override
    protected JdbcStore emptyStore() {
        return JdbcStore.builder("jdbc:h2:file:" + dir.resolve("maas").toAbsolutePath()).build();
    }
}
