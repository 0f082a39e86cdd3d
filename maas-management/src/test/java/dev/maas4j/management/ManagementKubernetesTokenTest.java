package dev.maas4j.management;

import dev.maas4j.api.Identity;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A {@link KubernetesTokenResolver} behind a real management servlet on Jetty. */
class ManagementKubernetesTokenTest {
    private static final String ALICE = "kube-sa-token-alice-0123456789";
    private static final String ROOT = "kube-sa-token-root-0123456789";

    @Test
    void aReviewedTokenManagesItsOwnKeysAndAnOutageIs503() throws Exception {
        Map<String, Identity> cluster = Map.of(ALICE, Identity.of("alice", "dev"),
                ROOT, Identity.of("system:serviceaccount:ops:root", "maas-admins"));
        AtomicBoolean down = new AtomicBoolean();
        AtomicInteger reviews = new AtomicInteger();
        KubernetesTokenResolver resolver = KubernetesTokenResolver.builder(token -> {
            reviews.incrementAndGet();
            if (down.get()) {
                throw new IllegalStateException("TokenReview failed, no answer");
            }
            return Optional.ofNullable(cluster.get(token));
        }).adminGroups("maas-admins").build();
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, resolver, null)) {
            assertEquals(201, f.post("/api-keys", ALICE, "{\"name\":\"mine\"}").status());
            ManagementFixture.Response mine = f.get("/api-keys", ALICE);
            assertEquals(200, mine.status(), mine::toString);
            assertEquals(1, mine.json().get("data").size());
            assertEquals(1, reviews.get(), "the second request used the cached answer");

            assertEquals(1, f.get("/api-keys", ROOT).json().get("data").size(), "an admin by group sees all keys");
            assertEquals(401, f.get("/api-keys", "kube-sa-token-nobody-0123456789").status());

            down.set(true);
            ManagementFixture.Response outage = f.get("/api-keys", "kube-sa-token-new-0123456789");
            assertEquals(503, outage.status(), outage::toString);
            assertEquals(200, f.get("/api-keys", ALICE).status(), "answers cached before the outage still count");
        }
    }
}
