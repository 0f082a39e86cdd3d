package dev.maas4j.store.jdbc;

import dev.maas4j.testing.H2Database;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contracts on in-memory H2, a new database per store. */
class H2MemoryStoreTest extends StoreContracts {
    @RegisterExtension
    static final H2Database H2 = H2Database.inMemory();

    @Override
    protected JdbcStore emptyStore() {
        return JdbcStore.builder(H2.newDatabase()).build();
    }
}
