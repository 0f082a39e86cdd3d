package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.maas4j.client.internal.Values;

import java.util.Map;
import java.util.Optional;

/**
 * Whether and which tool the model must call: {@code "none"}, {@code "auto"}, {@code "required"}
 * or one named function.
 *
 * @param mode         {@code none}, {@code auto}, {@code required} or {@code function}
 * @param functionName the function to call when {@code mode} is {@code function}
 */
public record ToolChoice(String mode, Optional<String> functionName) {

    /** The model calls no tool. */
    public static final ToolChoice NONE = new ToolChoice("none", Optional.empty());
    /** The model decides. */
    public static final ToolChoice AUTO = new ToolChoice("auto", Optional.empty());
    /** The model calls at least one tool. */
    public static final ToolChoice REQUIRED = new ToolChoice("required", Optional.empty());

    /** Validates the components. */
    public ToolChoice {
        Values.notBlank(mode, "mode");
        functionName = Values.opt(functionName);
        if (mode.equals("function") && functionName.isEmpty()) {
            throw new IllegalArgumentException("a function tool choice needs a functionName");
        }
    }

    /** The model calls function {@code name}. */
    public static ToolChoice function(String name) {
        return new ToolChoice("function", Optional.of(Values.notBlank(name, "name")));
    }

    /** The wire form: a string, or {@code {"type": "function", "function": {"name": ...}}}. */
    @JsonValue
    public Object toJson() {
        return functionName.<Object>map(n -> Map.of("type", "function", "function", Map.of("name", n))).orElse(mode);
    }
}
