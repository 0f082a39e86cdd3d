package dev.maas4j.store.k8s;

import dev.maas4j.api.CatalogStore;
import dev.maas4j.testing.CatalogStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The catalog store contract for the read-only Kubernetes store, over the six samples: listings
 * and lookups agree, every mutator refuses (the mutation tests skip themselves). Nothing mutates a
 * read-only store, so one store serves every test.
 */
class KubernetesCatalogStoreContractTest extends CatalogStoreContract {
    private static MockCluster cluster;
    private static KubernetesCatalogStore shared;

    @BeforeAll
    static void startServer() {
        cluster = new MockCluster().withSamples();
        shared = cluster.store();
    }

    @AfterAll
    static void stopServer() {
        cluster.close();
    }

    @Override
    protected CatalogStore newCatalogStore() {
        return shared;
    }
}
