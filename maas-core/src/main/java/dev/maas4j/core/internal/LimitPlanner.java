package dev.maas4j.core.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Budget;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Identity;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.Budgets;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Stage 4, plan the limits: which buckets a request by this key, as this identity, to this model
 * under this subscription draws from (the key's requests and tokens per minute, the subscription's
 * request and token windows, the key's, user's, groups' and subscription's budgets), at what price,
 * and until when that plan holds (the end of the nearest budget period). Thread-safe.
 */
public final class LimitPlanner {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final TimeSource time;
    private final Budgets budgets;
    private final ZoneId budgetZone;
    private final EngineMeters meters;

    public LimitPlanner(TimeSource time, Budgets budgets, ZoneId budgetZone, EngineMeters meters) {
        this.time = time;
        this.budgets = budgets;
        this.budgetZone = budgetZone;
        this.meters = meters;
    }

    /** The plan of {@code key} calling {@code model} under {@code coverage}, decided at catalog {@code version}. */
    public Plan plan(long version, ApiKey key, Identity identity, ModelRef model, CatalogIndex.Coverage coverage) {
        Subscription subscription = coverage.subscription();
        SubscriptionModel subscriptionModel = coverage.entry();
        long now = time.epochNanos();
        List<LimitSpec> limits = new ArrayList<>();
        String keyPrefix = "key:" + key.id();
        // Kuadrant counts subscription windows per user per model within the subscription
        String subscriptionPrefix = "sub:" + subscription.namespace() + "/" + subscription.name() + ":"
                + model.namespace() + "/" + model.name() + ":" + identity.user();

        key.limits().requestsPerMinute().ifPresent(rpm -> limits.add(LimitSpec.window(keyPrefix + ":rpm", rpm, MINUTE,
                LimitSpec.Unit.REQUESTS, DenialReason.REQUEST_RATE_LIMITED,
                "the API key's limit of " + rpm + " requests per minute")));
        for (RateLimit limit : subscriptionModel.requestRateLimits()) {
            limits.add(LimitSpec.window(subscriptionPrefix + ":requests:" + limit.windowText(), limit.limit(),
                    limit.window(), LimitSpec.Unit.REQUESTS, DenialReason.QUOTA_EXCEEDED,
                    "the subscription '" + subscription.name() + "' quota of " + limit.limit() + " requests per "
                            + limit.windowText()));
        }
        key.limits().tokensPerMinute().ifPresent(tpm -> limits.add(LimitSpec.window(keyPrefix + ":tpm", tpm, MINUTE,
                LimitSpec.Unit.TOKENS, DenialReason.TOKEN_RATE_LIMITED,
                "the API key's limit of " + tpm + " tokens per minute")));
        for (RateLimit limit : subscriptionModel.tokenRateLimits()) {
            limits.add(LimitSpec.window(subscriptionPrefix + ":tokens:" + limit.windowText(), limit.limit(),
                    limit.window(), LimitSpec.Unit.TOKENS, DenialReason.QUOTA_EXCEEDED,
                    "the subscription '" + subscription.name() + "' quota of " + limit.limit() + " tokens per "
                            + limit.windowText()));
        }

        long validUntil = Long.MAX_VALUE;
        Instant instant = time.now();
        for (BudgetRef ref : budgets(key, identity, subscription)) {
            Instant start = ref.budget.period().start(instant, budgetZone).toInstant();
            Instant end = ref.budget.period().end(instant, budgetZone).toInstant();
            long endNanos = TimeSource.toEpochNanos(end);
            validUntil = Math.min(validUntil, endNanos);
            limits.add(LimitSpec.budget("budget:" + ref.owner + ":" + ref.budget.period() + ":" + start.getEpochSecond(),
                    Pricing.toNanos(ref.budget.amount()), endNanos, now,
                    ref.label + " budget of " + ref.budget.amount().toPlainString() + " per "
                            + ref.budget.period().name().toLowerCase(Locale.ROOT)));
        }

        Pricing pricing = subscriptionModel.billingRatePerToken().map(Pricing::perToken)
                .orElseGet(() -> model.price().map(Pricing::of).orElse(Pricing.FREE));
        return new Plan(version, identity, validUntil, model, subscription, pricing,
                limits.toArray(LimitSpec[]::new), meters.forPlan(model.name(), subscription.name()), key);
    }

    /** The budgets that apply, in a fixed order (key, user, groups by name, subscription). */
    private List<BudgetRef> budgets(ApiKey key, Identity identity, Subscription subscription) {
        List<BudgetRef> refs = new ArrayList<>();
        key.limits().budget().ifPresent(b -> refs.add(new BudgetRef("key:" + key.id(), b, "the API key's")));
        budgets.forUser(identity.user()).ifPresent(b -> refs.add(
                new BudgetRef("user:" + identity.user(), b, "the user '" + identity.user() + "''s")));
        for (String group : new TreeSet<>(identity.groups())) {
            Budget b = budgets.groups().get(group);
            if (b != null) {
                refs.add(new BudgetRef("group:" + group, b, "the group '" + group + "''s"));
            }
        }
        subscription.budget().ifPresent(b -> refs.add(new BudgetRef(
                "sub:" + subscription.namespace() + "/" + subscription.name(), b,
                "the subscription '" + subscription.name() + "''s")));
        return refs;
    }

    private record BudgetRef(String owner, Budget budget, String label) {
    }
}
