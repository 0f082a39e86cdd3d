package dev.maas4j.core;

import dev.maas4j.api.KeyStore;
import dev.maas4j.core.contract.KeyStoreContract;

/** The key store contract, run against {@link InMemoryStore}. */
class InMemoryKeyStoreTest extends KeyStoreContract {

    @Override
    protected KeyStore newKeyStore() {
        return new InMemoryStore();
    }
}
