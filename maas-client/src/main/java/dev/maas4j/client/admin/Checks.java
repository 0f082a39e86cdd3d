package dev.maas4j.client.admin;

import java.util.regex.Pattern;

/** Argument checks with messages that name the setting. */
final class Checks {

    /** The server's duration grammar (maas-api's {@code DurationText}), so that the client refuses what it would. */
    private static final Pattern EXPIRES_IN = Pattern.compile("(?!0+[a-z])\\d{1,9}(ms|s|m|h|d)");

    private Checks() {
    }

    static long positive(long value, String setting) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
        return value;
    }

    /** A key lifetime: a positive number (at most 9 digits) of milliseconds, seconds, minutes, hours or days. */
    static String expiresIn(String value) {
        if (value == null || !EXPIRES_IN.matcher(value).matches()) {
            throw new IllegalArgumentException("expiresIn must be a positive number followed by ms, s, m, h or d (e.g. 30d, 3600s), was "
                    + value);
        }
        return value;
    }
}
