package dev.maas4j.management.internal;

import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.KeyStatus;
import dev.maas4j.api.Subject;
import dev.maas4j.management.Caller;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code /api-keys} request bodies read into the core's values, each refusal a 400 naming the
 * field; what the key service checks itself (expiry against the longest life, the subscription,
 * the scope's models) is left to it. Stateless and thread-safe.
 */
final class KeyInputs {
    /** Labels under this prefix are the library's own (e.g. the ephemeral marker) and refused from clients. */
    static final String RESERVED_LABEL_PREFIX = "maas4j.dev/";
    static final String EPHEMERAL_LABEL = RESERVED_LABEL_PREFIX + "ephemeral";
    /** The owner's groups at creation (Open Data Hub's {@code groups}), kept as an informational snapshot. */
    static final String GROUPS_LABEL = RESERVED_LABEL_PREFIX + "groups";
    /** The most labels a key may have (Open Data Hub's limit). */
    static final int MAX_LABELS = 50;
    /** The longest label key (Open Data Hub's limit). */
    static final int MAX_LABEL_KEY_LENGTH = 128;
    /** The longest label value (Open Data Hub's limit). */
    static final int MAX_LABEL_VALUE_LENGTH = 1024;
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,"
            + (MAX_LABEL_KEY_LENGTH - 2) + "}[A-Za-z0-9])?");
    private static final Set<String> STATUSES = Set.of("active", "revoked", "expired");

    private KeyInputs() {
    }

    /** The key's owner: the caller unless the body names another. */
    static Subject owner(Caller caller, KeyJson.Owner owner) {
        if (owner == null) {
            return Access.self(caller);
        }
        if (owner.name() == null || owner.name().isBlank()) {
            throw ApiException.invalid("owner.name", "owner.name is required");
        }
        Text.bounded(owner.name(), 253, "owner.name");
        String type = owner.type() == null ? "user" : owner.type();
        return switch (type) {
            case "user" -> Subject.user(owner.name());
            case "group" -> Subject.group(owner.name());
            case "serviceAccount" -> Subject.serviceAccount(owner.name());
            default -> throw ApiException.invalid("owner.type", "owner.type must be one of user, group, serviceAccount");
        };
    }

    /** The value, unless it is blank (then 400 naming the field). */
    static String nonBlank(String value, String field) {
        if (value.isBlank()) {
            throw ApiException.invalid(field, field + " must not be blank");
        }
        return value;
    }

    /** The models asked for; the key service checks that each exists. */
    static KeyScope scope(List<String> models) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < models.size(); i++) {
            String model = models.get(i);
            String field = "models[" + i + "]";
            if (model == null || model.isBlank()) {
                throw ApiException.invalid(field, field + " must be a model name");
            }
            names.add(model);
        }
        return KeyScope.models(names);
    }

    /** The key's own limits; each a positive number, a budget with its period. */
    static KeyLimits limits(KeyJson.Limits limits) {
        KeyLimits.Builder b = KeyLimits.builder();
        if (limits.requestsPerMinute() != null) {
            b.requestsPerMinute(positive(limits.requestsPerMinute(), "limits.requestsPerMinute"));
        }
        if (limits.tokensPerMinute() != null) {
            b.tokensPerMinute(positive(limits.tokensPerMinute(), "limits.tokensPerMinute"));
        }
        if (limits.maxParallelRequests() != null) {
            b.maxParallelRequests((int) positive(limits.maxParallelRequests(), "limits.maxParallelRequests"));
        }
        if (limits.budget() != null) {
            if (limits.budget().signum() <= 0) {
                throw ApiException.invalid("limits.budget", "limits.budget must be positive");
            }
            if (limits.budgetPeriod() == null) {
                throw ApiException.invalid("limits.budgetPeriod", "limits.budgetPeriod is required with limits.budget");
            }
            b.budget(new Budget(limits.budget(), period(limits.budgetPeriod(), "limits.budgetPeriod")));
        } else if (limits.budgetPeriod() != null) {
            throw ApiException.invalid("limits.budget", "limits.budget is required with limits.budgetPeriod");
        }
        return b.build();
    }

    /** A budget period named by a field: {@link BudgetPeriod#parse}'s grammar, its error naming the field. */
    static BudgetPeriod period(String text, String field) {
        if (text == null) {
            return BudgetPeriod.MONTH;
        }
        try {
            return BudgetPeriod.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, field + " must be one of day, week, month");
        }
    }

    /** The value if it is positive, else 400 naming the field. */
    static long positive(long value, String field) {
        if (value <= 0) {
            throw ApiException.invalid(field, field + " must be a positive integer");
        }
        return value;
    }

    /** Client labels: bounded in number and length, keys of label syntax, none under the reserved prefix. */
    static Map<String, String> labels(Map<String, String> labels, String field) {
        if (labels == null) {
            return Map.of();
        }
        if (labels.size() > MAX_LABELS) {
            throw ApiException.invalid(field, field + " may hold at most " + MAX_LABELS + " entries");
        }
        Map<String, String> result = new TreeMap<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String key = e.getKey();
            String name = field + "." + key;
            if (!LABEL_KEY.matcher(key).matches()) {
                throw ApiException.invalid(name, field + " key '" + key
                        + "' must be 1 to " + MAX_LABEL_KEY_LENGTH + " letters, digits, '.', '_', '-' or '/', starting and ending with a letter or digit");
            }
            if (key.startsWith(RESERVED_LABEL_PREFIX)) {
                throw ApiException.invalid(name, field + " key '" + key + "' uses the reserved prefix "
                        + RESERVED_LABEL_PREFIX);
            }
            if (e.getValue() == null) {
                throw ApiException.invalid(name, name + " must be a string");
            }
            result.put(key, Text.bounded(e.getValue(), MAX_LABEL_VALUE_LENGTH, name));
        }
        return result;
    }

    /** A search's statuses: active if none is given. */
    static Set<KeyStatus> statuses(List<String> status) {
        if (status == null || status.isEmpty()) {
            return Set.of(KeyStatus.ACTIVE);
        }
        Set<KeyStatus> result = new LinkedHashSet<>();
        for (int i = 0; i < status.size(); i++) {
            String s = status.get(i);
            if (s == null || !STATUSES.contains(s)) {
                throw ApiException.invalid("filters.status[" + i + "]",
                        "filters.status[" + i + "] must be one of active, revoked, expired");
            }
            result.add(KeyStatus.valueOf(s.toUpperCase(Locale.ROOT)));
        }
        return result;
    }
}
