package dev.maas4j.client.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Map;

/**
 * The client's own object mappers, never shared with the application's, so that neither can
 * change the other's behaviour. Both keep unknown properties (records collect them with
 * {@code @JsonAnySetter}) rather than failing, and omit absent values when writing.
 */
public final class Json {

    /** OpenAI wire format: {@code snake_case} properties. */
    public static final ObjectMapper OPENAI = base().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** The management API: {@code camelCase} properties, as in Open Data Hub's maas-api. */
    public static final ObjectMapper ADMIN = base();

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private Json() {
    }

    private static ObjectMapper base() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.registerModule(new JdkTypesModule());
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        // Content inclusion stays at the default so that null values inside extra maps survive.
        mapper.setDefaultPropertyInclusion(
                JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT, JsonInclude.Include.USE_DEFAULTS));
        return mapper;
    }

    /** Parses a JSON object (a JSON Schema, say) into a map; fails with {@link IllegalArgumentException}. */
    public static Map<String, Object> parseObject(String json, String setting) {
        try {
            Map<String, Object> map = ADMIN.readValue(json, MAP);
            if (map == null) {
                throw new IllegalArgumentException(setting + " must be a JSON object, was null");
            }
            return map;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(setting + " is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }
}
