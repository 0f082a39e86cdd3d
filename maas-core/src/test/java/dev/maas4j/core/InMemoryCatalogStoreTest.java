package dev.maas4j.core;

import dev.maas4j.api.CatalogStore;
import dev.maas4j.core.contract.CatalogStoreContract;

/** The catalog store contract, run against {@link InMemoryStore}. */
class InMemoryCatalogStoreTest extends CatalogStoreContract {

    @Override
    protected CatalogStore newCatalogStore() {
        return new InMemoryStore();
    }
}
