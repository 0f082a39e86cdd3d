package dev.maas4j.client.internal;

import java.util.Objects;

/**
 * A credential (API key or management token) that never shows itself: {@link #toString()} is
 * masked and {@link #redact(String)} removes it from text that came back from a server, so that
 * neither reaches a log through an exception message.
 */
public final class Secret {

    private static final String MASK = "****";
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Wraps {@code value}, which must not be blank. */
    public static Secret of(String value, String setting) {
        Objects.requireNonNull(value, setting);
        if (value.isBlank()) {
            throw new IllegalArgumentException(setting + " must not be blank");
        }
        return new Secret(value.strip());
    }

    /** The secret itself, for the {@code Authorization} header only. */
    public String reveal() {
        return value;
    }

    /** {@code text} with every occurrence of the secret replaced by a mask. */
    public String redact(String text) {
        return text.replace(value, MASK);
    }

    @Override
    public String toString() {
        return MASK;
    }
}
