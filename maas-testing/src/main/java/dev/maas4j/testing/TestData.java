package dev.maas4j.testing;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.ChangeListener;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Secret;
import dev.maas4j.api.SecretHash;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TokenMetadata;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Fixtures for the contract tests and for a store's own tests: keys, catalog entries and usage
 * events with sensible defaults, a listener that records what it is told, and the bounded wait the
 * contracts use for stores that tell listeners asynchronously.
 *
 * <pre>{@code
 * import static dev.maas4j.testing.TestData.*;
 *
 * store.create(key("k1").name("nightly batch").build());
 * store.putModel(model("granite-8b"));
 * ledger.append(List.of(event("req-1").tokens(120, 40).at(T0.plusSeconds(5)).build()));
 * }</pre>
 *
 * <p>All instants are whole milliseconds, so stores that keep microseconds (PostgreSQL) or
 * milliseconds round-trip them unchanged. Stateless; the builders are not thread-safe.
 */
public final class TestData {

    /** A fixed instant the fixtures start from: Monday 2026-01-05 10:00 UTC. */
    public static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    /** The price used by {@link #model(String)}: 0.15 per million prompt tokens, 0.6 per million completion tokens. */
    public static final ModelPrice PRICE = ModelPrice.usd("0.15", "0.6");

    private TestData() {
    }

    // -------------------------------------------------------------------------------------- keys

    /** A builder for a minimal active key owned by user {@code alice}, created at {@link #T0}. */
    public static ApiKey.Builder key(String id) {
        return ApiKey.builder()
                .id(id)
                .name("key " + id)
                .owner(Subject.user("alice"))
                .secretHash(hashOf(id))
                .displayPrefix("sk-oai-" + id.substring(0, Math.min(4, id.length())))
                .createdAt(T0);
    }

    /** A minimal key with the given owner and creation time. */
    public static ApiKey key(String id, Subject owner, Instant createdAt) {
        return key(id).owner(owner).createdAt(createdAt).build();
    }

    /** A key with every optional field set, to check that a store keeps them all. */
    public static ApiKey fullKey(String id) {
        return key(id)
                .description("used by the nightly batch")
                .owner(Subject.serviceAccount("batch-runner"))
                .expiresAt(T0.plus(Duration.ofDays(90)))
                .lastUsedAt(T0.plusSeconds(30))
                .subscription("gold")
                .scope(KeyScope.models("granite-8b", "llama-70b"))
                .limits(new KeyLimits(OptionalLong.of(60), OptionalLong.of(100_000), OptionalInt.of(4),
                        Optional.of(Budget.of("25.50", BudgetPeriod.MONTH))))
                .putMetadata("team", "search")
                .putMetadata("env", "prod")
                .build();
    }

    /** A 32-byte hash derived from {@code seed}. */
    public static SecretHash hashOf(String seed) {
        try {
            return SecretHash.of(MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The key with its decimal amounts stripped of trailing zeros, so that a store that keeps
     * {@code 25.50} as {@code 25.5000} compares equal.
     */
    public static ApiKey normalized(ApiKey key) {
        KeyLimits l = key.limits();
        return key.toBuilder()
                .limits(new KeyLimits(l.requestsPerMinute(), l.tokensPerMinute(), l.maxParallelRequests(),
                        l.budget().map(TestData::normalized)))
                .build();
    }

    // ----------------------------------------------------------------------------------- catalog

    /** An enabled, priced model with one endpoint. */
    public static ModelRef model(String name) {
        return ModelRef.builder(name).endpoint("http://127.0.0.1:8000/v1").price(PRICE).build();
    }

    /** A model with every optional field set. */
    public static ModelRef fullModel(String name) {
        return ModelRef.builder(name)
                .namespace("llm")
                .displayName("Granite 8B Instruct")
                .endpoint("http://10.0.0.1:8000/v1")
                .endpoint("http://10.0.0.2:8000/v1")
                .enabled(false)
                .price(ModelPrice.usd("0.15", "0.6"))
                .upstreamCredential(Secret.of("upstream-token-" + name))
                .metadata(Map.of("family", "granite", "size", "8b"))
                .build();
    }

    /** A subscription for group {@code staff} covering {@code models} with a 50,000 tokens per hour limit. */
    public static Subscription subscription(String name, String... models) {
        Subscription.Builder builder = Subscription.builder(name).owner(SubjectSet.groups("staff"));
        for (String model : models) {
            builder.model(model, RateLimit.of(50_000, "1h"));
        }
        return builder.build();
    }

    /** A subscription with every optional field set. */
    public static Subscription fullSubscription(String name) {
        return Subscription.builder(name)
                .namespace("billing")
                .priority(10)
                .owner(SubjectSet.of(Set.of("staff", "research"), Set.of("alice")))
                .model(new SubscriptionModel("granite-8b", "llm",
                        List.of(RateLimit.of(50_000, "1h"), RateLimit.of(1_000, "1m")),
                        List.of(RateLimit.of(100, "1m")), Optional.of(new BigDecimal("0.000002"))))
                .model("llama-70b")
                .budget(Budget.of("1000", BudgetPeriod.MONTH))
                .tokenMetadata(new TokenMetadata("org-7", "cc-42", Map.of("project", "search")))
                .build();
    }

    /** The subscription with its decimal amounts stripped of trailing zeros. */
    public static Subscription normalized(Subscription s) {
        List<SubscriptionModel> models = s.modelRefs().stream()
                .map(m -> new SubscriptionModel(m.name(), m.namespace(), m.tokenRateLimits(), m.requestRateLimits(),
                        m.billingRatePerToken().map(BigDecimal::stripTrailingZeros)))
                .toList();
        return new Subscription(s.name(), s.namespace(), s.priority(), s.owner(), models,
                s.budget().map(TestData::normalized), s.tokenMetadata());
    }

    /** A policy granting group {@code staff} the given models. */
    public static AuthPolicy policy(String name, String... models) {
        return AuthPolicy.of(name, SubjectSet.groups("staff"), models);
    }

    /** A policy with every optional field set. */
    public static AuthPolicy fullPolicy(String name) {
        return new AuthPolicy(name, "llm", SubjectSet.of(Set.of("staff"), Set.of("bob")),
                List.of(new ModelReference("granite-8b", "llm"), ModelReference.of("llama-70b")),
                Map.of("tier", "premium"));
    }

    private static Budget normalized(Budget budget) {
        return new Budget(budget.amount().stripTrailingZeros(), budget.period());
    }

    // ------------------------------------------------------------------------------------ usage

    /** A builder for a successful, reported, priced chat completion by alice at {@link #T0}. */
    public static EventBuilder event(String requestId) {
        return new EventBuilder(requestId);
    }

    /** Builds {@link UsageEvent} values; the cost follows the tokens and {@link #PRICE} unless set. */
    public static final class EventBuilder {
        private final String requestId;
        private String keyId = "key-1";
        private String user = "alice";
        private Set<String> groups = Set.of("staff");
        private String subscription = "gold";
        private String model = "granite-8b";
        private EndpointKind endpoint = EndpointKind.CHAT_COMPLETIONS;
        private TokenUsage usage = TokenUsage.reported(100, 50);
        private BigDecimal cost;
        private int httpStatus = 200;
        private Outcome outcome = Outcome.SUCCESS;
        private Instant startedAt = T0;
        private Duration duration = Duration.ofMillis(750);
        private boolean streamed;
        private TokenMetadata chargeback = TokenMetadata.NONE;
        private boolean anomalous;

        private EventBuilder(String requestId) {
            this.requestId = requestId;
        }

        /** Sets the key id (default {@code key-1}). */
        public EventBuilder key(String value) {
            keyId = value;
            return this;
        }

        /** Sets the user (default {@code alice}). */
        public EventBuilder user(String value) {
            user = value;
            return this;
        }

        /** Sets the groups (default {@code staff}). */
        public EventBuilder groups(String... values) {
            groups = Set.of(values);
            return this;
        }

        /** Sets the subscription (default {@code gold}). */
        public EventBuilder subscription(String value) {
            subscription = value;
            return this;
        }

        /** Sets the model (default {@code granite-8b}). */
        public EventBuilder model(String value) {
            model = value;
            return this;
        }

        /** Sets the endpoint (default chat completions). */
        public EventBuilder endpoint(EndpointKind value) {
            endpoint = value;
            return this;
        }

        /** Sets reported token counts (default 100 and 50). */
        public EventBuilder tokens(long prompt, long completion) {
            usage = TokenUsage.reported(prompt, completion);
            return this;
        }

        /** Sets estimated token counts. */
        public EventBuilder estimatedTokens(long prompt, long completion) {
            usage = TokenUsage.estimated(prompt, completion);
            return this;
        }

        /** Sets the cost (default: the tokens at {@link TestData#PRICE}). */
        public EventBuilder cost(BigDecimal value) {
            cost = value;
            return this;
        }

        /** Sets the HTTP status (default 200). */
        public EventBuilder status(int value) {
            httpStatus = value;
            return this;
        }

        /** Sets the outcome (default success). */
        public EventBuilder outcome(Outcome value) {
            outcome = value;
            return this;
        }

        /** Sets the start (default {@link TestData#T0}); the end follows 750 ms later. */
        public EventBuilder at(Instant value) {
            startedAt = value;
            return this;
        }

        /** Marks the response streamed. */
        public EventBuilder streamed(boolean value) {
            streamed = value;
            return this;
        }

        /** Sets the chargeback metadata. */
        public EventBuilder chargeback(TokenMetadata value) {
            chargeback = value;
            return this;
        }

        /** Marks the usage clamped to the request's bound (default not). */
        public EventBuilder anomalous(boolean value) {
            anomalous = value;
            return this;
        }

        /** Builds the event. */
        public UsageEvent build() {
            BigDecimal c = cost != null ? cost : PRICE.cost(usage.promptTokens(), usage.completionTokens());
            return new UsageEvent(requestId, keyId, user, groups, subscription, model, endpoint, usage, c, httpStatus,
                    outcome, startedAt, startedAt.plus(duration), streamed, chargeback, anomalous);
        }
    }

    // ------------------------------------------------------------------------------------ waits

    /**
     * Awaitility's {@code await}, as the contracts wait for a store that tells listeners from
     * another thread: checks at once, then every 5 ms, for at most ten seconds (chain
     * {@code atMost} for more).
     *
     * <pre>{@code
     * store.create(key("k1").build());
     * eventually("told of the new key").until(() -> listener.keys.contains("k1"));
     * }</pre>
     */
    public static ConditionFactory eventually(String what) {
        return Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5));
    }

    /** A listener that records what it is told; thread-safe. Extend it to react to changes. */
    public static class RecordingListener implements ChangeListener {
        /** The key ids told, in order. */
        public final Queue<String> keys = new ConcurrentLinkedQueue<>();
        /** How many catalog changes were told. */
        public final AtomicInteger catalogChanges = new AtomicInteger();

        @Override
        public void keyChanged(String keyId) {
            keys.add(keyId);
        }

        @Override
        public void catalogChanged() {
            catalogChanges.incrementAndGet();
        }
    }
}
