package dev.maas4j.testing;

import dev.maas4j.api.AuditLog;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.TimeSource;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.core.InMemoryAuditLog;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.core.LimitBackend;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;

/** Every contract on maas-core's own backends: {@link InMemoryStore}, {@link InMemoryAuditLog}, the local limits. */
class InMemoryBackendsTest {

    @Nested
    class Keys extends KeyStoreContract {
        @Override
        protected KeyStore newKeyStore() {
            return new InMemoryStore();
        }
    }

    @Nested
    class Catalog extends CatalogStoreContract {
        @Override
        protected CatalogStore newCatalogStore() {
            return new InMemoryStore();
        }
    }

    @Nested
    class Ledger extends UsageLedgerContract {
        @Override
        protected UsageLedger newLedger() {
            return new InMemoryStore();
        }
    }

    @Nested
    class Audit extends AuditLogContract {
        @Override
        protected AuditLog newAuditLog() {
            return new InMemoryAuditLog(1_000);
        }
    }

    @Nested
    class Identities extends IdentityDirectoryContract {
        @Override
        protected IdentityDirectory newDirectory(Map<String, Set<String>> groupsByName) {
            InMemoryStore store = new InMemoryStore();
            groupsByName.forEach(store::setGroups);
            return store;
        }

        @Override
        protected void changeGroups(IdentityDirectory directory, String name, Set<String> groups) {
            ((InMemoryStore) directory).setGroups(name, groups);
        }
    }

    @Nested
    class OwnersOnly extends IdentityDirectoryContract {
        @Override
        protected IdentityDirectory newDirectory(Map<String, Set<String>> groupsByName) {
            return IdentityDirectory.ownersOnly();
        }

        @Override
        protected boolean knowsGroups() {
            return false;
        }
    }

    @Nested
    class Limits extends LimitBackendContract {
        @Override
        protected LimitBackend newBackend(TimeSource time) {
            return LimitBackend.local(time);
        }
    }
}
