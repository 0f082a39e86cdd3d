package dev.maas4j.management;

import dev.maas4j.api.Identity;
import dev.maas4j.testing.ManualTicker;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link KubernetesTokenResolver} with a review function and a manual clock. */
class KubernetesTokenResolverTest {
    private static final String ALICE = "kube-token-alice-0123456789";
    private static final String CAROL = "kube-token-carol-0123456789";
    private static final String DAVE = "kube-token-dave-01234567890";

    private final ManualTicker ticker = new ManualTicker();
    private final Map<String, Identity> cluster = new ConcurrentHashMap<>(Map.of(
            ALICE, Identity.of("alice", "dev", "system:authenticated"),
            CAROL, Identity.of("carol", "maas-admins"),
            DAVE, Identity.of("dave", "maas-auditors")));
    private final List<String> reviewed = new CopyOnWriteArrayList<>();
    private final AtomicBoolean apiServerDown = new AtomicBoolean();
    private final KubernetesTokenResolver.TokenReview review = token -> {
        if (apiServerDown.get()) {
            throw new IllegalStateException("TokenReview failed, no answer");
        }
        reviewed.add(token);
        return Optional.ofNullable(cluster.get(token));
    };

    private KubernetesTokenResolver.Builder resolver() {
        return KubernetesTokenResolver.builder(review).ticker(ticker).adminGroups("maas-admins")
                .adminReadonlyGroups("maas-auditors");
    }

    @Test
    void aReviewedTokenIsTheUserWithTheReviewedGroups() {
        Optional<Caller> alice = resolver().build().resolve(bearer(ALICE));

        assertEquals(Optional.of(new Caller("alice", Set.of("dev", "system:authenticated"), Set.of(Role.USER))),
                alice);
    }

    @Test
    void groupsMapToRolesAndEveryoneIsAUser() {
        KubernetesTokenResolver resolver = resolver().build();

        assertEquals(EnumSet.of(Role.USER, Role.ADMIN), resolver.resolve(bearer(CAROL)).orElseThrow().roles());
        assertEquals(EnumSet.of(Role.USER, Role.ADMIN_READONLY), resolver.resolve(bearer(DAVE)).orElseThrow().roles());
        assertEquals(EnumSet.of(Role.USER), resolver.resolve(bearer(ALICE)).orElseThrow().roles());
    }

    @Test
    void anAcceptedTokenIsReviewedOnceWithinTheTtlAndAgainAfterIt() {
        KubernetesTokenResolver resolver = resolver().cacheTtl(Duration.ofSeconds(30)).build();

        resolver.resolve(bearer(ALICE));
        ticker.advance(Duration.ofSeconds(29));
        assertTrue(resolver.resolve(bearer(ALICE)).isPresent());
        assertEquals(1, reviewed.size(), "cached within the TTL");

        ticker.advance(Duration.ofSeconds(2));
        assertTrue(resolver.resolve(bearer(ALICE)).isPresent());
        assertEquals(2, reviewed.size(), "reviewed again after the TTL");
    }

    @Test
    void aTokenRevokedInTheClusterIsRefusedOnceItsAnswerExpires() {
        KubernetesTokenResolver resolver = resolver().cacheTtl(Duration.ofSeconds(10)).build();
        assertTrue(resolver.resolve(bearer(ALICE)).isPresent());

        cluster.remove(ALICE);
        ticker.advance(Duration.ofSeconds(11));

        assertEquals(Optional.empty(), resolver.resolve(bearer(ALICE)));
    }

    @Test
    void aRefusedTokenIsCachedForTheShorterNegativeTtl() {
        KubernetesTokenResolver resolver = resolver().negativeCacheTtl(Duration.ofSeconds(5)).build();
        String stranger = "kube-token-unknown-0123456789";

        assertEquals(Optional.empty(), resolver.resolve(bearer(stranger)));
        ticker.advance(Duration.ofSeconds(4));
        assertEquals(Optional.empty(), resolver.resolve(bearer(stranger)));
        assertEquals(1, reviewed.size(), "the refusal is cached");

        cluster.put(stranger, Identity.of("erin"));
        ticker.advance(Duration.ofSeconds(2));
        assertEquals("erin", resolver.resolve(bearer(stranger)).orElseThrow().user(),
                "after the negative TTL the token is reviewed again");
    }

    @Test
    void anOutageThrowsAndIsNotCached() {
        KubernetesTokenResolver resolver = resolver().build();
        apiServerDown.set(true);

        assertThrows(IllegalStateException.class, () -> resolver.resolve(bearer(ALICE)),
                "cannot decide: the management API answers 503");
        assertEquals(0, resolver.cachedAnswers());

        apiServerDown.set(false);
        assertTrue(resolver.resolve(bearer(ALICE)).isPresent(), "the next request asks again");
    }

    @Test
    void theCacheIsKeyedByAHashNotTheToken() {
        KubernetesTokenResolver resolver = resolver().build();
        resolver.resolve(bearer(ALICE));

        assertFalse(resolver.toString().contains(ALICE));
        assertEquals(1, resolver.cachedAnswers());
    }

    @Test
    void apiKeysAndRequestsWithoutABearerTokenAreNotReviewed() {
        KubernetesTokenResolver resolver = resolver().build();

        assertEquals(Optional.empty(), resolver.resolve(bearer("sk-oai-Ab3xYz_0123456789abcdef")));
        assertEquals(Optional.empty(), resolver.resolve(request(null)));
        assertEquals(Optional.empty(), resolver.resolve(request("Basic YWxpY2U6c2VjcmV0")));
        assertEquals(List.of(), reviewed);
    }

    @Test
    void anAdminCheckMakesAdminsOfWhomItAllowsAndIsCachedWithTheAnswer() {
        AtomicInteger checks = new AtomicInteger();
        KubernetesTokenResolver resolver = resolver().adminCheck(identity -> {
            checks.incrementAndGet();
            return identity.user().equals("dave");
        }).build();

        assertEquals(EnumSet.of(Role.USER, Role.ADMIN, Role.ADMIN_READONLY),
                resolver.resolve(bearer(DAVE)).orElseThrow().roles());
        assertEquals(EnumSet.of(Role.USER), resolver.resolve(bearer(ALICE)).orElseThrow().roles());
        resolver.resolve(bearer(DAVE));
        assertEquals(2, checks.get(), "asked once per token");
        resolver.resolve(bearer(CAROL));
        assertEquals(2, checks.get(), "not asked for an admin by group");
    }

    @Test
    void aFailingAdminCheckThrows() {
        KubernetesTokenResolver resolver = resolver().adminCheck(identity -> {
            throw new IllegalStateException("SubjectAccessReview failed, no answer");
        }).build();

        assertThrows(IllegalStateException.class, () -> resolver.resolve(bearer(ALICE)));
    }

    @Test
    void aGroupPrefixKeepsOnlyPrefixedGroupsWithoutThePrefix() {
        cluster.put("kube-token-oidc-0123456789", Identity.of("oidc:frank", "oidc:maas-admins",
                "system:authenticated", "maas-auditors"));
        KubernetesTokenResolver resolver = resolver().groupPrefix("oidc:").build();

        Caller frank = resolver.resolve(bearer("kube-token-oidc-0123456789")).orElseThrow();

        assertEquals(Set.of("maas-admins"), frank.groups());
        assertEquals(EnumSet.of(Role.USER, Role.ADMIN), frank.roles(),
                "an unprefixed group of another origin does not count");
    }

    @Test
    void theBuilderRefusesBadSettings() {
        assertThrows(NullPointerException.class, () -> KubernetesTokenResolver.builder(null));
        assertThrows(IllegalArgumentException.class, () -> resolver().cacheTtl(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> resolver().negativeCacheTtl(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> resolver().maximumCacheSize(-1));
        assertThrows(IllegalArgumentException.class, () -> resolver().adminGroups(" "));
        assertThrows(IllegalArgumentException.class, () -> resolver().groupPrefix(""));
    }

    @Test
    void concurrentRequestsWithOneTokenShareOneReviewWhileOtherTokensAreNotHeldUp() throws Exception {
        CountDownLatch reviewing = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger aliceReviews = new AtomicInteger();
        KubernetesTokenResolver resolver = KubernetesTokenResolver.builder(token -> {
            if (token.equals(ALICE)) {
                aliceReviews.incrementAndGet();
                reviewing.countDown();
                await(answer);
            }
            return Optional.ofNullable(cluster.get(token));
        }).ticker(ticker).build();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<Caller>>> alices = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                alices.add(threads.submit(() -> resolver.resolve(bearer(ALICE))));
            }
            assertTrue(reviewing.await(5, TimeUnit.SECONDS));
            assertEquals("carol", threads.submit(() -> resolver.resolve(bearer(CAROL))).get(5, TimeUnit.SECONDS)
                    .orElseThrow().user(), "a slow review does not block other tokens");
            answer.countDown();
            for (Future<Optional<Caller>> alice : alices) {
                assertEquals("alice", alice.get(5, TimeUnit.SECONDS).orElseThrow().user());
            }
            assertEquals(1, aliceReviews.get());
        } finally {
            answer.countDown();
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aZeroTtlReviewsEveryTime() {
        KubernetesTokenResolver resolver = resolver().cacheTtl(Duration.ZERO).build();
        resolver.resolve(bearer(ALICE));
        resolver.resolve(bearer(ALICE));
        assertEquals(2, reviewed.size());
    }

    static HttpServletRequest bearer(String token) {
        return request("Bearer " + token);
    }

    /** A request with only an {@code Authorization} header (or none). */
    static HttpServletRequest request(String authorization) {
        return (HttpServletRequest) Proxy.newProxyInstance(KubernetesTokenResolverTest.class.getClassLoader(),
                new Class<?>[]{HttpServletRequest.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getHeader")) {
                        return "authorization".equalsIgnoreCase((String) args[0]) ? authorization : null;
                    }
                    if (method.getName().equals("toString")) {
                        return "request";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
