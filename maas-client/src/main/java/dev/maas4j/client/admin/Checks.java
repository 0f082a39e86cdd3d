package dev.maas4j.client.admin;

import java.util.regex.Pattern;

/** Argument checks with messages that name the setting. */
final class Checks {

    private static final Pattern EXPIRES_IN = Pattern.compile("[1-9]\\d*[mhd]");

    private Checks() {
    }

    static long positive(long value, String setting) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
        return value;
    }

    /** A key lifetime: a positive number of minutes, hours or days. */
    static String expiresIn(String value) {
        if (value == null || !EXPIRES_IN.matcher(value).matches()) {
            throw new IllegalArgumentException("expiresIn must be a number followed by m, h or d (e.g. 30d), was "
                    + value);
        }
        return value;
    }
}
