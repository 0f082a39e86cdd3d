package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The state of an API key: {@code active}, {@code revoked} or {@code expired} on the wire. */
public enum KeyStatus {
    /** Usable. */
    ACTIVE,
    /** Revoked; never usable again. */
    REVOKED,
    /** Past its expiry. */
    EXPIRED;

    /** The wire value. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire value, ignoring case. */
    @JsonCreator
    public static KeyStatus parse(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
