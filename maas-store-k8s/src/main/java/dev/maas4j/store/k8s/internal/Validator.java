package dev.maas4j.store.k8s.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects schema violations with the path of the field, in the words the API server uses
 * ({@code spec.modelRefs[0].tokenRateLimits[0].window: Invalid value: "1d": ...}), so an operator
 * can fix the resource from the log line alone. Not thread-safe; one per resource.
 */
final class Validator {
    private final List<String> errors = new ArrayList<>();

    /** Whether {@code value} is present; records "Required value" if not. */
    boolean required(String path, Object value) {
        if (value == null) {
            errors.add(path + ": Required value");
            return false;
        }
        return true;
    }

    /** A required list with at least {@code min} items. */
    boolean minItems(String path, Collection<?> value, int min) {
        if (!required(path, value)) {
            return false;
        }
        if (value.size() < min) {
            errors.add(path + ": Invalid value: " + value.size() + ": must have at least " + min + " item"
                    + (min == 1 ? "" : "s"));
            return false;
        }
        return true;
    }

    /** A required string of {@code min} to {@code max} characters. */
    boolean length(String path, String value, int min, int max) {
        if (!required(path, value)) {
            return false;
        }
        if (value.length() < min) {
            errors.add(path + ": Invalid value: " + quote(value) + ": should be at least " + min + " chars long");
            return false;
        }
        if (value.length() > max) {
            errors.add(path + ": Too long: may not be longer than " + max);
            return false;
        }
        return true;
    }

    /** A string matching {@code pattern}; {@code null} passes (check presence separately). */
    boolean pattern(String path, String value, Pattern pattern, String hint) {
        if (value != null && !pattern.matcher(value).matches()) {
            errors.add(path + ": Invalid value: " + quote(value) + ": should match '" + pattern.pattern() + "'"
                    + (hint.isEmpty() ? "" : " (" + hint + ")"));
            return false;
        }
        return true;
    }

    /** An integer in {@code [min, max]}; {@code null} passes. */
    boolean range(String path, Long value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            errors.add(path + ": Invalid value: " + value + ": should be " + (value < min
                    ? "greater than or equal to " + min : "less than or equal to " + max));
            return false;
        }
        return true;
    }

    /** One of {@code allowed}; {@code null} passes. */
    boolean oneOf(String path, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            errors.add(path + ": Unsupported value: " + quote(value) + ": supported values: "
                    + String.join(", ", allowed.stream().map(Validator::quote).toList()));
            return false;
        }
        return true;
    }

    /** Records a violation in free words. */
    void error(String path, String message) {
        errors.add(path + ": " + message);
    }

    boolean ok() {
        return errors.isEmpty();
    }

    /** Every violation, joined. */
    String message() {
        return String.join("; ", errors);
    }

    static String quote(String value) {
        return '"' + value + '"';
    }
}
