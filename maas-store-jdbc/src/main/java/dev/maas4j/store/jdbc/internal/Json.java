package dev.maas4j.store.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.TokenMetadata;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads and writes the JSON documents kept in {@code *_json} columns, as the {@link StoredShapes}
 * records bound by one Jackson mapper. Properties a row has and the shape does not are ignored, so
 * that a row written by a later version still reads. Stateless and thread-safe.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Set<String>> STRING_SET = new TypeReference<>() {
    };
    private static final TypeReference<List<StoredShapes.Asset>> ASSETS = new TypeReference<>() {
    };

    /**
     * The JSON of values that repeat on every usage event (a subscription's chargeback metadata, a
     * user's groups), so the ledger does not serialise them a thousand times a batch. Bounded: it
     * is cleared when it grows past a few thousand distinct values.
     */
    private static final ConcurrentHashMap<Object, String> REPEATED = new ConcurrentHashMap<>();

    private Json() {
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    private static IllegalStateException unreadable(JsonProcessingException e) {
        return new IllegalStateException("stored JSON is not readable: " + e.getOriginalMessage(), e);
    }

    private static String repeated(Object value, Function<Object, String> write) {
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

    // ------------------------------------------------------------------ small values

    /** A map as a JSON object, keys sorted. */
    public static String map(Map<String, String> map) {
        return write(StoredShapes.sorted(map));
    }

    /** A JSON object as a map. */
    public static Map<String, String> map(String text) {
        Map<String, String> map = read(text, STRING_MAP);
        return map == null ? Map.of() : map;
    }

    /** A set of strings as a sorted JSON array. */
    public static String strings(Collection<String> values) {
        return write(StoredShapes.sorted(values));
    }

    /** A JSON array as a set of strings. */
    public static Set<String> strings(String text) {
        Set<String> set = read(text, STRING_SET);
        return set == null ? Set.of() : set;
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
        return write(StoredShapes.Metadata.of(metadata));
    }

    /** Chargeback metadata. */
    public static TokenMetadata tokenMetadata(String text) {
        return StoredShapes.Metadata.toApi(read(text, StoredShapes.Metadata.class));
    }

    // ------------------------------------------------------------------ keys

    /** A key scope: its assets, sorted by kind and name. */
    public static String scope(KeyScope scope) {
        return write(scope.assets().stream().map(StoredShapes.Asset::of).sorted(StoredShapes.Asset.ORDER).toList());
    }

    /** A key scope. */
    public static KeyScope scope(String text) {
        List<StoredShapes.Asset> assets = read(text, ASSETS);
        return assets == null || assets.isEmpty() ? KeyScope.UNRESTRICTED
                : new KeyScope(assets.stream().map(StoredShapes.Asset::toApi).collect(Collectors.toSet()));
    }

    /** A key's limits. */
    public static String limits(KeyLimits limits) {
        return write(StoredShapes.Limits.of(limits));
    }

    /** A key's limits. */
    public static KeyLimits limits(String text) {
        return read(text, StoredShapes.Limits.class).toApi();
    }

    // ------------------------------------------------------------------ catalog

    /** A model. The upstream credential is kept as given: protect the table as you would a secret store. */
    public static String model(ModelRef model) {
        return write(StoredShapes.Model.of(model));
    }

    /** A model. */
    public static ModelRef model(String text) {
        return read(text, StoredShapes.Model.class).toApi();
    }

    /** A subscription. */
    public static String subscription(Subscription subscription) {
        return write(StoredShapes.Subscription.of(subscription));
    }

    /** A subscription. */
    public static Subscription subscription(String text) {
        return read(text, StoredShapes.Subscription.class).toApi();
    }

    /** An auth policy. */
    public static String policy(AuthPolicy policy) {
        return write(StoredShapes.Policy.of(policy));
    }

    /** An auth policy. */
    public static AuthPolicy policy(String text) {
        return read(text, StoredShapes.Policy.class).toApi();
    }
}
