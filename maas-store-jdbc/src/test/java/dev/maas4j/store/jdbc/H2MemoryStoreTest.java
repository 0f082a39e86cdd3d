package dev.maas4j.store.jdbc;

import java.util.concurrent.atomic.AtomicInteger;

/** The store contracts on an in-memory H2 database, a new one per test. */
class H2MemoryStoreTest extends StoreContracts {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected JdbcStore emptyStore() {
        return JdbcStore.builder("jdbc:h2:mem:contract" + DATABASES.incrementAndGet()).build();
    }
}
