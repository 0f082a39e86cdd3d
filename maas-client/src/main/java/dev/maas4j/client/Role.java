package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maas4j.client.internal.Values;

/**
 * The author of a {@link ChatMessage}. An open set: a role this version does not know still reads
 * and writes unchanged.
 *
 * @param value the wire value, e.g. {@code user}
 */
public record Role(String value) {

    /** Instructions from the application (older models). */
    public static final Role SYSTEM = new Role("system");
    /** Instructions from the application (newer models). */
    public static final Role DEVELOPER = new Role("developer");
    /** The end user. */
    public static final Role USER = new Role("user");
    /** The model. */
    public static final Role ASSISTANT = new Role("assistant");
    /** The result of a tool call. */
    public static final Role TOOL = new Role("tool");

    /** Validates the value. */
    public Role {
        Values.notBlank(value, "role");
    }

    /** The role with wire value {@code value}. */
    @JsonCreator
    public static Role of(String value) {
        return new Role(value);
    }

    /** The wire value. */
    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
