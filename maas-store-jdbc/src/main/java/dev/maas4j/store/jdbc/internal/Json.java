package dev.maas4j.store.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas4j.api.AssetKind;
import dev.maas4j.api.AssetRef;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.KeyScope;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON documents kept in {@code *_json} columns. Decimals are written as strings so they come
 * back exactly; durations in ISO-8601. Stateless and thread-safe.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    // ------------------------------------------------------------------ text

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not readable: " + e.getOriginalMessage(), e);
        }
    }

    // ------------------------------------------------------------------ small values

    /** A map as a JSON object, keys sorted. */
    public static String map(Map<String, String> map) {
        ObjectNode node = MAPPER.createObjectNode();
        new TreeMap<>(map).forEach(node::put);
        return write(node);
    }

    /** A JSON object as a map. */
    public static Map<String, String> map(String text) {
        return toMap(read(text));
    }

    private static Map<String, String> toMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                map.put(e.getKey(), e.getValue().asText());
            }
        }
        return map;
    }

    private static ObjectNode mapNode(Map<String, String> map) {
        ObjectNode node = MAPPER.createObjectNode();
        new TreeMap<>(map).forEach(node::put);
        return node;
    }

    /** A set of strings as a sorted JSON array. */
    public static String strings(Collection<String> values) {
        ArrayNode node = MAPPER.createArrayNode();
        new TreeSet<>(values).forEach(node::add);
        return write(node);
    }

    /** A JSON array as a set of strings. */
    public static Set<String> strings(String text) {
        return stringSet(read(text));
    }

    private static Set<String> stringSet(JsonNode node) {
        Set<String> set = new HashSet<>();
        if (node != null) {
            node.forEach(n -> set.add(n.asText()));
        }
        return set;
    }

    private static ArrayNode stringArray(Collection<String> values) {
        ArrayNode node = MAPPER.createArrayNode();
        new TreeSet<>(values).forEach(node::add);
        return node;
    }

    /**
     * The JSON of values that repeat on every usage event (a subscription's chargeback metadata, a
     * user's groups), so the ledger does not serialise them a thousand times a batch. Bounded: it
     * is cleared when it grows past a few thousand distinct values.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Object, String> REPEATED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static String repeated(Object value, java.util.function.Function<Object, String> write) {
        String json = REPEATED.get(value);
        if (json == null) {
            if (REPEATED.size() > 4_096) {
                REPEATED.clear();
            }
            json = write.apply(value);
            REPEATED.put(value, json);
        }
        return json;
    }

    /** The groups of a usage event, cached. */
    public static String groups(Set<String> groups) {
        return repeated(groups, g -> strings(groups));
    }

    /** The chargeback metadata of a usage event, cached. */
    public static String chargeback(TokenMetadata metadata) {
        return repeated(metadata, m -> tokenMetadata(metadata));
    }

    /** Chargeback metadata. */
    public static String tokenMetadata(TokenMetadata metadata) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("organizationId", metadata.organizationId());
        node.put("costCenter", metadata.costCenter());
        node.set("labels", mapNode(metadata.labels()));
        return write(node);
    }

    /** Chargeback metadata. */
    public static TokenMetadata tokenMetadata(String text) {
        JsonNode node = read(text);
        return tokenMetadataOf(node);
    }

    private static TokenMetadata tokenMetadataOf(JsonNode node) {
        if (node == null || node.isNull()) {
            return TokenMetadata.NONE;
        }
        return new TokenMetadata(node.path("organizationId").asText(""), node.path("costCenter").asText(""),
                toMap(node.get("labels")));
    }

    // ------------------------------------------------------------------ keys

    /** A key scope. */
    public static String scope(KeyScope scope) {
        ArrayNode node = MAPPER.createArrayNode();
        scope.assets().stream().sorted((a, b) -> (a.kind() + "/" + a.name()).compareTo(b.kind() + "/" + b.name()))
                .forEach(a -> node.addObject().put("kind", a.kind().name()).put("name", a.name()));
        return write(node);
    }

    /** A key scope. */
    public static KeyScope scope(String text) {
        Set<AssetRef> assets = new HashSet<>();
        read(text).forEach(n -> assets.add(new AssetRef(AssetKind.valueOf(n.get("kind").asText()),
                n.get("name").asText())));
        return assets.isEmpty() ? KeyScope.UNRESTRICTED : new KeyScope(assets);
    }

    /** A key's limits. */
    public static String limits(KeyLimits limits) {
        ObjectNode node = MAPPER.createObjectNode();
        limits.requestsPerMinute().ifPresent(v -> node.put("requestsPerMinute", v));
        limits.tokensPerMinute().ifPresent(v -> node.put("tokensPerMinute", v));
        limits.maxParallelRequests().ifPresent(v -> node.put("maxParallelRequests", v));
        limits.budget().ifPresent(b -> node.set("budget", budget(b)));
        return write(node);
    }

    /** A key's limits. */
    public static KeyLimits limits(String text) {
        JsonNode node = read(text);
        return new KeyLimits(
                node.has("requestsPerMinute") ? OptionalLong.of(node.get("requestsPerMinute").asLong()) : OptionalLong.empty(),
                node.has("tokensPerMinute") ? OptionalLong.of(node.get("tokensPerMinute").asLong()) : OptionalLong.empty(),
                node.has("maxParallelRequests") ? OptionalInt.of(node.get("maxParallelRequests").asInt()) : OptionalInt.empty(),
                budget(node.get("budget")));
    }

    private static ObjectNode budget(Budget budget) {
        return MAPPER.createObjectNode().put("amount", budget.amount().toPlainString())
                .put("period", budget.period().name());
    }

    private static Optional<Budget> budget(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new Budget(new BigDecimal(node.get("amount").asText()),
                BudgetPeriod.valueOf(node.get("period").asText())));
    }

    // ------------------------------------------------------------------ catalog

    /** A model. The upstream credential is kept as given: protect the table as you would a secret store. */
    public static String model(ModelRef model) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", model.name());
        node.put("namespace", model.namespace());
        node.put("displayName", model.displayName());
        ArrayNode endpoints = node.putArray("endpoints");
        model.endpoints().forEach(u -> endpoints.add(u.toString()));
        node.put("enabled", model.enabled());
        model.price().ifPresent(p -> node.putObject("price")
                .put("promptPerMillion", p.promptPerMillion().toPlainString())
                .put("completionPerMillion", p.completionPerMillion().toPlainString())
                .put("currency", p.currency()));
        model.upstreamCredential().ifPresent(s -> node.put("upstreamCredential", s.reveal()));
        node.set("metadata", mapNode(model.metadata()));
        return write(node);
    }

    /** A model. */
    public static ModelRef model(String text) {
        JsonNode node = read(text);
        List<URI> endpoints = new ArrayList<>();
        node.path("endpoints").forEach(n -> endpoints.add(URI.create(n.asText())));
        JsonNode price = node.get("price");
        Optional<ModelPrice> modelPrice = price == null || price.isNull() ? Optional.empty()
                : Optional.of(new ModelPrice(new BigDecimal(price.get("promptPerMillion").asText()),
                new BigDecimal(price.get("completionPerMillion").asText()), price.get("currency").asText()));
        Optional<Secret> credential = node.hasNonNull("upstreamCredential")
                ? Optional.of(Secret.of(node.get("upstreamCredential").asText())) : Optional.empty();
        return new ModelRef(node.get("name").asText(), node.get("namespace").asText(), node.get("displayName").asText(),
                endpoints, node.get("enabled").asBoolean(), modelPrice, credential, toMap(node.get("metadata")));
    }

    /** A subscription. */
    public static String subscription(Subscription s) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", s.name());
        node.put("namespace", s.namespace());
        node.put("priority", s.priority());
        node.set("owner", subjects(s.owner()));
        ArrayNode models = node.putArray("modelRefs");
        for (SubscriptionModel m : s.modelRefs()) {
            ObjectNode mn = models.addObject();
            mn.put("name", m.name());
            mn.put("namespace", m.namespace());
            mn.set("tokenRateLimits", rateLimits(m.tokenRateLimits()));
            mn.set("requestRateLimits", rateLimits(m.requestRateLimits()));
            m.billingRatePerToken().ifPresent(r -> mn.put("billingRatePerToken", r.toPlainString()));
        }
        s.budget().ifPresent(b -> node.set("budget", budget(b)));
        node.set("tokenMetadata", read(tokenMetadata(s.tokenMetadata())));
        return write(node);
    }

    /** A subscription. */
    public static Subscription subscription(String text) {
        JsonNode node = read(text);
        List<SubscriptionModel> models = new ArrayList<>();
        for (JsonNode m : node.path("modelRefs")) {
            models.add(new SubscriptionModel(m.get("name").asText(), m.get("namespace").asText(),
                    rateLimits(m.get("tokenRateLimits")), rateLimits(m.get("requestRateLimits")),
                    m.hasNonNull("billingRatePerToken")
                            ? Optional.of(new BigDecimal(m.get("billingRatePerToken").asText())) : Optional.empty()));
        }
        return new Subscription(node.get("name").asText(), node.get("namespace").asText(),
                node.get("priority").asInt(), subjects(node.get("owner")), models, budget(node.get("budget")),
                tokenMetadataOf(node.get("tokenMetadata")));
    }

    /** An auth policy. */
    public static String policy(AuthPolicy p) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", p.name());
        node.put("namespace", p.namespace());
        node.set("subjects", subjects(p.subjects()));
        ArrayNode refs = node.putArray("modelRefs");
        p.modelRefs().forEach(r -> refs.addObject().put("name", r.name()).put("namespace", r.namespace()));
        node.set("meteringMetadata", mapNode(p.meteringMetadata()));
        return write(node);
    }

    /** An auth policy. */
    public static AuthPolicy policy(String text) {
        JsonNode node = read(text);
        List<ModelReference> refs = new ArrayList<>();
        node.path("modelRefs").forEach(r -> refs.add(new ModelReference(r.get("name").asText(),
                r.get("namespace").asText())));
        return new AuthPolicy(node.get("name").asText(), node.get("namespace").asText(), subjects(node.get("subjects")),
                refs, toMap(node.get("meteringMetadata")));
    }

    private static ObjectNode subjects(SubjectSet set) {
        ObjectNode node = MAPPER.createObjectNode();
        node.set("groups", stringArray(set.groups()));
        node.set("users", stringArray(set.users()));
        return node;
    }

    private static SubjectSet subjects(JsonNode node) {
        if (node == null || node.isNull()) {
            return SubjectSet.NONE;
        }
        return new SubjectSet(stringSet(node.get("groups")), stringSet(node.get("users")));
    }

    private static ArrayNode rateLimits(List<RateLimit> limits) {
        ArrayNode node = MAPPER.createArrayNode();
        limits.forEach(l -> node.addObject().put("limit", l.limit()).put("window", l.window().toString()));
        return node;
    }

    private static List<RateLimit> rateLimits(JsonNode node) {
        List<RateLimit> limits = new ArrayList<>();
        if (node != null) {
            node.forEach(n -> limits.add(new RateLimit(n.get("limit").asLong(), Duration.parse(n.get("window").asText()))));
        }
        return limits;
    }
}
