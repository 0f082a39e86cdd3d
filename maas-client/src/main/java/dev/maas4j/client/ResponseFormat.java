package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The format the model must answer in ({@code response_format}): free text, any JSON object, or
 * JSON following a schema.
 *
 * <pre>{@code
 * ResponseFormat.jsonSchema("answer", Map.of("type", "object",
 *         "properties", Map.of("value", Map.of("type", "number"))), true);
 * }</pre>
 *
 * @param type       {@code text}, {@code json_object} or {@code json_schema}
 * @param jsonSchema the schema, for {@code json_schema}
 * @param extra      properties this version does not know
 */
public record ResponseFormat(String type, Optional<JsonSchema> jsonSchema,
                             @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public ResponseFormat {
        Values.notBlank(type, "type");
        jsonSchema = Values.opt(jsonSchema);
        extra = Values.extra(extra);
    }

    /** Free text (the default). */
    public static ResponseFormat text() {
        return new ResponseFormat("text", Optional.empty(), Map.of());
    }

    /** Any valid JSON object. */
    public static ResponseFormat jsonObject() {
        return new ResponseFormat("json_object", Optional.empty(), Map.of());
    }

    /** JSON that follows {@code schema}; {@code strict} asks the server to enforce it exactly. */
    public static ResponseFormat jsonSchema(String name, Map<String, Object> schema, boolean strict) {
        return new ResponseFormat("json_schema",
                Optional.of(new JsonSchema(name, Optional.empty(), schema, Optional.of(strict))), Map.of());
    }

    /**
     * A named JSON Schema.
     *
     * @param name        the schema's name
     * @param description what the output is, for the model
     * @param schema      the JSON Schema
     * @param strict      exact adherence
     */
    public record JsonSchema(String name, Optional<String> description, Map<String, Object> schema,
                             Optional<Boolean> strict) {
        /** Validates and copies the components. */
        public JsonSchema {
            Values.notBlank(name, "name");
            description = Values.opt(description);
            schema = Values.extra(Objects.requireNonNull(schema, "schema"));
            strict = Values.opt(strict);
        }
    }
}
