package dev.maas4j.store.jdbc;

import dev.maas4j.api.AuditLog;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.core.contract.CatalogStoreContract;
import dev.maas4j.core.contract.KeyStoreContract;
import dev.maas4j.core.contract.UsageLedgerContract;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * Runs the store contracts of maas-core (and the audit log's) against a {@link JdbcStore}; each
 * subclass says which database. Stores made by a test are closed after it.
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
}
