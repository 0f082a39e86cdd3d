package dev.maas4j.management.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.Identity;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectType;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.core.CatalogService;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * API keys as the {@code /api-keys} responses show them (Open Data Hub's shapes): the key, its
 * limits, and the policies and subscriptions that apply to it. Stateless and thread-safe.
 */
final class KeyViews {

    private KeyViews() {
    }

    /** The auth policies that grant the key's owner a model the key may reach, its subscriptions and its own limits. */
    static List<KeyJson.Policy> policies(CatalogService catalog, ApiKey key, Identity identity) {
        List<KeyJson.Policy> result = new ArrayList<>();
        for (AuthPolicy policy : catalog.policies()) {
            if (!policy.subjects().includes(identity)) {
                continue;
            }
            List<String> granted = policy.modelRefs().stream().map(ModelReference::name)
                    .filter(key.scope()::allowsModel).distinct().toList();
            if (!granted.isEmpty()) {
                result.add(new KeyJson.Policy(policy.name(), policy.name(), "authPolicy",
                        "Grants access to " + String.join(", ", granted)));
            }
        }
        for (Subscription subscription : catalog.subscriptionsOf(key, identity)) {
            result.add(new KeyJson.Policy(subscription.name(), subscription.name(), "subscription",
                    describe(subscription, key.scope())));
        }
        if (!key.limits().isEmpty()) {
            result.add(new KeyJson.Policy("key-limits", "Key limits", "keyLimits", describe(key.limits())));
        }
        return result;
    }

    /** A subscription's priority and its limits on the models the scope allows, in words. */
    static String describe(Subscription subscription, KeyScope scope) {
        List<String> parts = new ArrayList<>();
        parts.add("Priority " + subscription.priority());
        for (SubscriptionModel model : subscription.modelRefs()) {
            if (!scope.allowsModel(model.name())) {
                continue;
            }
            List<String> limits = new ArrayList<>();
            for (RateLimit limit : model.tokenRateLimits()) {
                limits.add(limit.limit() + " tokens per " + limit.windowText());
            }
            for (RateLimit limit : model.requestRateLimits()) {
                limits.add(limit.limit() + " requests per " + limit.windowText());
            }
            parts.add(model.name() + ": " + (limits.isEmpty() ? "no rate limit" : String.join(", ", limits)));
        }
        subscription.budget().ifPresent(b -> parts.add("budget " + b.amount().toPlainString() + " per "
                + b.period().name().toLowerCase(Locale.ROOT)));
        return String.join("; ", parts);
    }

    /** A key's own limits in words. */
    static String describe(KeyLimits limits) {
        List<String> parts = new ArrayList<>();
        limits.requestsPerMinute().ifPresent(v -> parts.add(v + " requests per minute"));
        limits.tokensPerMinute().ifPresent(v -> parts.add(v + " tokens per minute"));
        limits.maxParallelRequests().ifPresent(v -> parts.add(v + " parallel requests"));
        limits.budget().ifPresent(b -> parts.add("budget " + b.amount().toPlainString() + " per "
                + b.period().name().toLowerCase(Locale.ROOT)));
        return String.join("; ", parts);
    }

    /** A key as the API shows it: never its hash, labels without the library's own. */
    static KeyJson.Key view(ApiKey key, Instant now) {
        Map<String, String> labels = new TreeMap<>(key.metadata());
        labels.keySet().removeIf(k -> k.startsWith(KeyInputs.RESERVED_LABEL_PREFIX));
        List<String> models = key.scope().models().stream().sorted().toList();
        return new KeyJson.Key(key.id(), key.name(), key.description().isEmpty() ? null : key.description(),
                key.owner().name(), ownerType(key.owner().type()), key.subscription().orElse(null), groups(key),
                Text.instant(key.createdAt()), Text.instant(key.expiresAt()),
                key.status(now).name().toLowerCase(Locale.ROOT), Text.instant(key.lastUsedAt()), ephemeral(key),
                keyPrefix(key), key.limits().isEmpty() ? null : limitsView(key.limits()),
                labels.isEmpty() ? null : labels, Text.instant(key.revokedAt()), models.isEmpty() ? null : models);
    }

    /**
     * {@code keyPrefix}: the start of the key itself ({@code sk-oai-Ab3x}, as in ODH), so that a UI can
     * match it against a key; the stored display prefix ends with an ellipsis for logs.
     */
    static String keyPrefix(ApiKey key) {
        String prefix = key.displayPrefix();
        return prefix.endsWith("\u2026") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** The owner's groups when the key was created, from the snapshot taken then; empty without one. */
    static List<String> groups(ApiKey key) {
        String snapshot = key.metadata().get(KeyInputs.GROUPS_LABEL);
        if (snapshot == null) {
            return List.of();
        }
        try {
            return List.of(Json.mapper().readValue(snapshot, String[].class));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The key's own limits as the API shows them. */
    static KeyJson.Limits limitsView(KeyLimits limits) {
        return new KeyJson.Limits(
                limits.requestsPerMinute().isPresent() ? limits.requestsPerMinute().getAsLong() : null,
                limits.tokensPerMinute().isPresent() ? limits.tokensPerMinute().getAsLong() : null,
                limits.maxParallelRequests().isPresent() ? limits.maxParallelRequests().getAsInt() : null,
                limits.budget().map(Budget::amount).orElse(null),
                limits.budget().map(b -> b.period().name().toLowerCase(Locale.ROOT)).orElse(null));
    }

    /** The owner type as Open Data Hub spells it. */
    static String ownerType(SubjectType type) {
        return switch (type) {
            case USER -> "user";
            case GROUP -> "group";
            case SERVICE_ACCOUNT -> "serviceAccount";
        };
    }

    /** Whether the key was created ephemeral (short-lived, hidden from searches by default). */
    static boolean ephemeral(ApiKey key) {
        return "true".equals(key.metadata().get(KeyInputs.EPHEMERAL_LABEL));
    }

    /** {@code user:alice}, for the audit trail. */
    static String describe(Subject subject) {
        return ownerType(subject.type()) + ":" + subject.name();
    }
}
