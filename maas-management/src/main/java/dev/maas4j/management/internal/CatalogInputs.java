package dev.maas4j.management.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.DurationText;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Secret;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TokenMetadata;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The catalog's input shapes ({@link CatalogJson.ModelInput}, {@link CatalogJson.SubscriptionInput},
 * {@link CatalogJson.Policy}, {@link CatalogJson.BudgetJson}) turned into the domain's values, with
 * every rule the management API applies to them: one place for those rules, used by
 * {@code POST}/{@code PUT} on the API and by {@link dev.maas4j.management.CatalogDocuments}
 * (the gateway's configuration file). Errors are {@link ApiException} 400s naming the field.
 * Stateless.
 */
public final class CatalogInputs {
    /** Names as the CRDs allow them: 1 to 63 characters, no slash (they appear in routes). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._:-]{0,61}[A-Za-z0-9])?");

    private CatalogInputs() {
    }

    // ------------------------------------------------------------------ from a tree

    /** A model document ({@code POST /models}'s body) read from a tree. */
    public static ModelRef model(JsonNode document) {
        return model(Json.read(document, CatalogJson.ModelInput.class), Optional.empty());
    }

    /** An auth policy document ({@code POST /policies}'s body) read from a tree. */
    public static AuthPolicy policy(JsonNode document, Predicate<ModelReference> modelExists) {
        return policy(Json.read(document, CatalogJson.Policy.class), modelExists);
    }

    /** A subscription document ({@code POST /subscriptions}'s body) read from a tree. */
    public static Subscription subscription(JsonNode document, Predicate<ModelReference> modelExists) {
        return subscription(Json.read(document, CatalogJson.SubscriptionInput.class), modelExists);
    }

    /** A budget ({@code {"amount": "25.00", "period": "month"}}) read from a tree. */
    public static Budget budget(JsonNode document) {
        return budget(Json.read(document, CatalogJson.BudgetJson.class), "");
    }

    // ------------------------------------------------------------------ names

    /** {@code name}, or 400 when it is not 1 to 63 letters, digits, {@code . _ : -}. */
    static String checkName(String name, String field) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid(field, field + " is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid(field, field + " must be 1 to 63 letters, digits, '.', '_', ':' or '-',"
                    + " starting and ending with a letter or digit");
        }
        return name;
    }

    private static String namespace(String namespace, String field) {
        return namespace == null ? ModelRef.DEFAULT_NAMESPACE : checkName(namespace, field);
    }

    // ------------------------------------------------------------------ models

    /**
     * The model {@code in} describes. An absent {@code upstreamCredential} keeps {@code existing}'s
     * (it is never shown, so a client sending back what it read cannot carry it); an empty one
     * removes it.
     */
    static ModelRef model(CatalogJson.ModelInput in, Optional<ModelRef> existing) {
        ModelRef.Builder b = ModelRef.builder(checkName(in.name(), "name"))
                .namespace(namespace(in.namespace(), "namespace"));
        if (in.displayName() != null) {
            if (in.displayName().isBlank()) {
                throw ApiException.invalid("displayName", "displayName must not be blank");
            }
            b.displayName(Text.bounded(in.displayName(), 256, "displayName"));
        }
        List<String> endpoints = in.endpoints() == null ? List.of() : in.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            b.endpoint(endpointUri(endpoints.get(i), "endpoints[" + i + "]"));
        }
        b.enabled(in.enabled() == null || in.enabled());
        if (in.price() != null) {
            b.price(price(in.price()));
        }
        if (in.upstreamCredential() != null) {
            // an empty string removes the credential
            if (!in.upstreamCredential().isBlank()) {
                b.upstreamCredential(Secret.of(in.upstreamCredential()));
            }
        } else {
            existing.flatMap(ModelRef::upstreamCredential).ifPresent(b::upstreamCredential);
        }
        Map<String, String> metadata = new LinkedHashMap<>(stringMap(in.metadata(), "metadata"));
        if (in.upstreamModel() != null) {
            if (in.upstreamModel().isBlank()) {
                throw ApiException.invalid("upstreamModel", "upstreamModel must not be blank");
            }
            metadata.put(ModelRef.UPSTREAM_MODEL, Text.bounded(in.upstreamModel(), 256, "upstreamModel"));
        }
        if (in.maxResponseDuration() != null) {
            // maas4j's own setting, so maas4j's duration syntax (as upstream.maxResponseDuration), kept
            // in the form the proxy reads back
            Duration duration;
            try {
                duration = DurationText.parse(in.maxResponseDuration(), "maxResponseDuration");
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("maxResponseDuration", e.getMessage());
            }
            metadata.put(ModelRef.MAX_RESPONSE_DURATION, DurationText.format(duration));
        }
        if (in.maxResponseBytes() != null) {
            if (in.maxResponseBytes() < 0) {
                throw ApiException.invalid("maxResponseBytes", "maxResponseBytes must be an integer >= 0");
            }
            metadata.put(ModelRef.MAX_RESPONSE_BYTES, Long.toString(in.maxResponseBytes()));
        }
        b.metadata(metadata);
        return b.build();
    }

    private static URI endpointUri(String text, String field) {
        try {
            URI uri = new URI(text == null ? "" : text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw ApiException.invalid(field, field + " must be an absolute http or https URL");
    }

    private static ModelPrice price(CatalogJson.Price price) {
        if (price.promptPerMillion() == null || price.promptPerMillion().signum() < 0) {
            throw ApiException.invalid("price.promptPerMillion", "price.promptPerMillion must be a decimal string >= 0");
        }
        if (price.completionPerMillion() == null || price.completionPerMillion().signum() < 0) {
            throw ApiException.invalid("price.completionPerMillion",
                    "price.completionPerMillion must be a decimal string >= 0");
        }
        String currency = price.currency() == null ? "USD" : price.currency();
        if (currency.isBlank()) {
            throw ApiException.invalid("price.currency", "price.currency must not be blank");
        }
        return new ModelPrice(price.promptPerMillion(), price.completionPerMillion(), currency);
    }

    // ------------------------------------------------------------------ subscriptions

    /** The subscription {@code in} describes; each model it names must pass {@code modelExists}. */
    static Subscription subscription(CatalogJson.SubscriptionInput in, Predicate<ModelReference> modelExists) {
        Subscription.Builder b = Subscription.builder(checkName(in.name(), "name"))
                .namespace(namespace(in.namespace(), "namespace"))
                .priority(in.priority() == null ? 0 : in.priority())
                .owner(subjects(in.owner(), "owner"));
        List<CatalogJson.SubscriptionModel> refs = in.modelRefs() == null ? List.of() : in.modelRefs();
        if (refs.isEmpty()) {
            throw ApiException.invalid("modelRefs", "modelRefs must name at least one model");
        }
        for (int i = 0; i < refs.size(); i++) {
            String field = "modelRefs[" + i + "]";
            CatalogJson.SubscriptionModel ref = refs.get(i);
            if (ref == null) {
                throw ApiException.invalid(field, field + " must be an object");
            }
            ModelReference target = modelReference(ref.name(), ref.namespace(), field, modelExists);
            List<RateLimit> tokenLimits = windows(ref.tokenRateLimits(), field + ".tokenRateLimits");
            if (tokenLimits.isEmpty()) {
                throw ApiException.invalid(field + ".tokenRateLimits", field + ".tokenRateLimits must hold at least"
                        + " one {\"limit\", \"window\"}");
            }
            Optional<BigDecimal> rate = Optional.empty();
            if (ref.billingRate() != null) {
                if (ref.billingRate().perToken() == null || ref.billingRate().perToken().signum() < 0) {
                    throw ApiException.invalid(field + ".billingRate.perToken",
                            field + ".billingRate.perToken must be a decimal string >= 0");
                }
                rate = Optional.of(ref.billingRate().perToken());
            }
            b.model(new SubscriptionModel(target.name(), target.namespace(), tokenLimits,
                    windows(ref.requestRateLimits(), field + ".requestRateLimits"), rate));
        }
        if (in.budget() != null) {
            b.budget(budget(in.budget(), "budget."));
        }
        if (in.tokenMetadata() != null) {
            CatalogJson.TokenMetadata t = in.tokenMetadata();
            b.tokenMetadata(new TokenMetadata(t.organizationId() == null ? "" : t.organizationId(),
                    t.costCenter() == null ? "" : t.costCenter(), stringMap(t.labels(), "tokenMetadata.labels")));
        }
        return b.build();
    }

    /** A budget; {@code prefix} is the fields' path with its dot ({@code "budget."}), or empty. */
    private static Budget budget(CatalogJson.BudgetJson in, String prefix) {
        if (in.amount() == null || in.amount().signum() <= 0) {
            throw ApiException.invalid(prefix + "amount", prefix + "amount must be a decimal string > 0");
        }
        if (in.period() == null) {
            throw ApiException.invalid(prefix + "period", prefix + "period is required with " + prefix + "amount");
        }
        return new Budget(in.amount(), KeyInputs.period(in.period(), prefix + "period"));
    }

    private static ModelReference modelReference(String name, String namespace, String field,
                                                 Predicate<ModelReference> modelExists) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid(field + ".name", field + ".name is required");
        }
        String ns = namespace(namespace, field + ".namespace");
        ModelReference reference = new ModelReference(name, ns);
        if (!modelExists.test(reference)) {
            throw ApiException.invalid(field + ".name", field + ".name: no model named '" + name + "' in namespace '"
                    + ns + "'");
        }
        return reference;
    }

    private static List<RateLimit> windows(List<CatalogJson.Window> windows, String field) {
        if (windows == null) {
            return List.of();
        }
        List<RateLimit> result = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            String item = field + "[" + i + "]";
            CatalogJson.Window w = windows.get(i);
            if (w == null || w.limit() == null || w.limit() < 1 || w.limit() > 1_000_000_000L) {
                throw ApiException.invalid(item + ".limit", item + ".limit must be an integer from 1 to 1000000000");
            }
            if (w.window() == null || !RateLimit.WINDOW_PATTERN.matcher(w.window()).matches()) {
                throw ApiException.invalid(item + ".window", item + ".window must look like 30s, 1m or 1h");
            }
            result.add(RateLimit.of(w.limit(), w.window()));
        }
        return result;
    }

    private static SubjectSet subjects(CatalogJson.Subjects subjects, String field) {
        if (subjects == null) {
            throw ApiException.invalid(field, field + " is required: {\"groups\": [{\"name\": ...}], \"users\": [...]}");
        }
        List<String> groups = new ArrayList<>();
        List<CatalogJson.GroupRef> refs = subjects.groups() == null ? List.of() : subjects.groups();
        for (int i = 0; i < refs.size(); i++) {
            CatalogJson.GroupRef ref = refs.get(i);
            if (ref == null || ref.name() == null || ref.name().isBlank()) {
                throw ApiException.invalid(field + ".groups[" + i + "].name",
                        field + ".groups[" + i + "].name must not be blank");
            }
            groups.add(ref.name());
        }
        List<String> users = subjects.users() == null ? List.of() : subjects.users();
        for (int i = 0; i < users.size(); i++) {
            if (users.get(i) == null || users.get(i).isBlank()) {
                throw ApiException.invalid(field + ".users[" + i + "]", field + ".users[" + i + "] must not be blank");
            }
        }
        if (groups.isEmpty() && users.isEmpty()) {
            throw ApiException.invalid(field, field + " must name at least one group or user");
        }
        return SubjectSet.of(groups, users);
    }

    private static Map<String, String> stringMap(Map<String, String> map, String field) {
        if (map == null) {
            return Map.of();
        }
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey().isBlank()) {
                throw ApiException.invalid(field, field + " keys must not be blank");
            }
            if (e.getValue() == null) {
                throw ApiException.invalid(field + "." + e.getKey(), field + "." + e.getKey() + " must be a string");
            }
        }
        return map;
    }

    // ------------------------------------------------------------------ policies

    /** The auth policy {@code in} describes; each model it names must pass {@code modelExists}. */
    static AuthPolicy policy(CatalogJson.Policy in, Predicate<ModelReference> modelExists) {
        String name = checkName(in.name(), "name");
        SubjectSet subjects = subjects(in.subjects(), "subjects");
        List<CatalogJson.ModelRefJson> refs = in.modelRefs() == null ? List.of() : in.modelRefs();
        if (refs.isEmpty()) {
            throw ApiException.invalid("modelRefs", "modelRefs must name at least one model");
        }
        List<ModelReference> models = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            CatalogJson.ModelRefJson ref = refs.get(i);
            String field = "modelRefs[" + i + "]";
            if (ref == null) {
                throw ApiException.invalid(field, field + " must be an object");
            }
            models.add(modelReference(ref.name(), ref.namespace(), field, modelExists));
        }
        return new AuthPolicy(name, namespace(in.namespace(), "namespace"), subjects, models,
                stringMap(in.meteringMetadata(), "meteringMetadata"));
    }
}
