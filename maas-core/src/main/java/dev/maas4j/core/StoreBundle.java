package dev.maas4j.core;

import dev.maas4j.api.AuditLog;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.UsageLedger;

import java.util.Objects;
import java.util.Optional;

/**
 * Everything a store provides, as one value the engine builder takes
 * ({@link MaasEngine.Builder#stores}): keys, the catalog, the usage ledger, the audit log, the
 * identities of key owners, and the rate limits where the store shares them between replicas.
 * A store returns its own bundle ({@code InMemoryStore.bundle()}, {@code JdbcStore.bundle()}); a
 * deployment that mixes stores (the catalog from Kubernetes, say) replaces a part with a
 * {@code with...} method. Immutable.
 *
 * <pre>{@code
 * StoreBundle stores = jdbcStore.bundle().withIdentities(directory);
 * MaasEngine engine = MaasEngine.builder().stores(stores).build();
 * }</pre>
 *
 * @param keys       the key store
 * @param catalog    the catalog store
 * @param ledger     the usage ledger
 * @param audit      where management changes are recorded
 * @param identities the groups each key owner acts with
 * @param limits     where limit buckets live when replicas share them; empty for this process only
 */
public record StoreBundle(KeyStore keys, CatalogStore catalog, UsageLedger ledger, AuditLog audit,
                          IdentityDirectory identities, Optional<LimitBackend> limits) {

    /** Validates the components. */
    public StoreBundle {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(identities, "identities");
        Objects.requireNonNull(limits, "limits");
    }

    /** Everything in memory, nothing kept: one {@link InMemoryStore} and an {@link InMemoryAuditLog}. */
    public static StoreBundle inMemory() {
        return new InMemoryStore().bundle();
    }

    /** This bundle with another catalog. */
    public StoreBundle withCatalog(CatalogStore value) {
        return new StoreBundle(keys, value, ledger, audit, identities, limits);
    }

    /** This bundle with other identities. */
    public StoreBundle withIdentities(IdentityDirectory value) {
        return new StoreBundle(keys, catalog, ledger, audit, value, limits);
    }

    /** This bundle with shared limits. */
    public StoreBundle withLimits(LimitBackend value) {
        return new StoreBundle(keys, catalog, ledger, audit, identities, Optional.of(value));
    }
}
