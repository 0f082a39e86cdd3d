package dev.maas4j.client.admin;

import java.util.Locale;

/** What usage can be grouped by ({@code groupBy}) on {@code GET /usage}. */
public enum UsageDimension {
    /** The API key id. */
    KEY,
    /** The key owner's user name. */
    USER,
    /** The owner's group. */
    GROUP,
    /** The model name. */
    MODEL,
    /** The subscription name. */
    SUBSCRIPTION;

    /** The wire value, e.g. {@code model}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
