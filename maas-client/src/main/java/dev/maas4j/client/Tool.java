package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Json;
import dev.maas4j.client.internal.Values;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tool the model may call: {@code {"type": "function", "function": {...}}}.
 *
 * <pre>{@code
 * Tool weather = Tool.function(Tool.Function.builder("get_weather")
 *         .description("Current weather of a city")
 *         .parametersJson("""
 *             {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
 *             """)
 *         .build());
 * }</pre>
 *
 * @param type     {@code function}
 * @param function the function, for function tools
 * @param extra    properties this version does not know
 */
public record Tool(String type, Optional<Function> function,
                   @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public Tool {
        Values.notBlank(type, "type");
        function = Values.opt(function);
        extra = Values.extra(extra);
    }

    /** A function tool. */
    public static Tool function(Function function) {
        return new Tool("function", Optional.of(Objects.requireNonNull(function, "function")), Map.of());
    }

    /**
     * A function definition.
     *
     * @param name        the name the model calls it by
     * @param description what it does, for the model
     * @param parameters  its parameters as a JSON Schema object
     * @param strict      whether the model must follow the schema exactly
     * @param extra       properties this version does not know
     */
    public record Function(String name, Optional<String> description, Optional<Map<String, Object>> parameters,
                           Optional<Boolean> strict, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

        /** Validates and copies the components. */
        public Function {
            Values.notBlank(name, "name");
            description = Values.opt(description);
            parameters = Values.opt(parameters).map(Values::extra);
            strict = Values.opt(strict);
            extra = Values.extra(extra);
        }

        /** A builder for function {@code name}. */
        public static Builder builder(String name) {
            return new Builder(name);
        }

        /** Builds a {@link Function}; not thread-safe. */
        public static final class Builder {
            private final String name;
            private Optional<String> description = Optional.empty();
            private Optional<Map<String, Object>> parameters = Optional.empty();
            private Optional<Boolean> strict = Optional.empty();
            private final Map<String, Object> extra = new LinkedHashMap<>();

            private Builder(String name) {
                this.name = Values.notBlank(name, "name");
            }

            /** Sets the description. */
            public Builder description(String value) {
                this.description = Optional.of(Objects.requireNonNull(value, "description"));
                return this;
            }

            /** Sets the parameters' JSON Schema. */
            public Builder parameters(Map<String, Object> schema) {
                this.parameters = Optional.of(Objects.requireNonNull(schema, "parameters"));
                return this;
            }

            /** Sets the parameters' JSON Schema from JSON text; fails if it is not a JSON object. */
            public Builder parametersJson(String schema) {
                this.parameters = Optional.of(Json.parseObject(schema, "parameters"));
                return this;
            }

            /** Sets strict schema adherence. */
            public Builder strict(boolean value) {
                this.strict = Optional.of(value);
                return this;
            }

            /** Adds a property this version has no setter for. */
            public Builder putExtra(String property, Object value) {
                extra.put(Values.notBlank(property, "property"), value);
                return this;
            }

            /** Builds the function. */
            public Function build() {
                return new Function(name, description, parameters, strict, extra);
            }
        }
    }
}
