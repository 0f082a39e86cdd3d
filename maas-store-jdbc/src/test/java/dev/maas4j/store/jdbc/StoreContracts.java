package dev.maas4j.store.jdbc;

import dev.maas4j.api.AuditLog;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.TimeSource;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.core.LimitBackend;
import dev.maas4j.testing.AuditLogContract;
import dev.maas4j.testing.CatalogStoreContract;
import dev.maas4j.testing.KeyStoreContract;
import dev.maas4j.testing.LimitBackendContract;
import dev.maas4j.testing.UsageLedgerContract;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * Runs maas-testing's contracts (keys, catalog, ledger, audit log, shared limits) against a
 * {@link JdbcStore} and its {@link JdbcLimitBackend}; each subclass says which database. Stores
 * made by a test are closed after it.
 */
abstract class StoreContracts {
    private final List<JdbcStore> stores = new CopyOnWriteArrayList<>();

    /** A store on an empty database. */
    protected abstract JdbcStore emptyStore();

    JdbcStore track(JdbcStore store) {
        stores.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        stores.forEach(JdbcStore::close);
        stores.clear();
    }

    @Nested
    class Keys extends KeyStoreContract {
        @Override
        protected KeyStore newKeyStore() {
            return track(emptyStore());
        }
    }

    @Nested
    class Catalog extends CatalogStoreContract {
        @Override
        protected CatalogStore newCatalogStore() {
            return track(emptyStore());
        }
    }

    @Nested
    class Ledger extends UsageLedgerContract {
        @Override
        protected UsageLedger newLedger() {
            return track(emptyStore());
        }
    }

    @Nested
    class Audit extends AuditLogContract {
        @Override
        protected AuditLog newAuditLog() {
            return track(emptyStore());
        }
    }

    @Nested
    class Limits extends LimitBackendContract {
        @Override
        protected LimitBackend newBackend(TimeSource time) {
            return JdbcLimitBackend.builder(track(emptyStore())).timeSource(time).build();
        }
    }
}
