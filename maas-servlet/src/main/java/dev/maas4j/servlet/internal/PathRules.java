package dev.maas4j.servlet.internal;

/**
 * The one rule for which request paths the gateway governs: a path must already be in normal form,
 * because the part after {@code /v1} is appended to a model's upstream base URL, and an upstream
 * that normalizes it (nginx, Jetty, Tomcat all do) would otherwise be reached outside that base,
 * with the model's credential attached.
 *
 * <p>Refused, on the raw (undecoded) path: dot segments ({@code .}, {@code ..}), empty segments
 * ({@code //}), backslashes, path parameters ({@code ;}), control characters and spaces, malformed
 * percent escapes, and escapes of the characters that change how a path splits or decodes:
 * {@code %2e} ({@code .}), {@code %2f} ({@code /}), {@code %5c} ({@code \}), {@code %3b}
 * ({@code ;}), {@code %25} ({@code %}, double encoding) and escaped control characters. Other
 * escapes pass unchanged. Stateless.
 */
public final class PathRules {
    private PathRules() {
    }

    /**
     * Why {@code rawPath} is not a path the gateway forwards, or {@code null} when it is.
     *
     * @param rawPath the path as the client sent it, without the query string
     */
    public static String problem(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return "the path must start with '/'";
        }
        int segmentStart = 1;
        int length = rawPath.length();
        for (int i = 1; i <= length; i++) {
            char c = i < length ? rawPath.charAt(i) : '/';
            if (c == '/') {
                String refused = segmentProblem(rawPath, segmentStart, i, i == length);
                if (refused != null) {
                    return refused;
                }
                segmentStart = i + 1;
                continue;
            }
            if (c == '\\') {
                return "the path contains a backslash";
            }
            if (c == ';') {
                return "the path contains a path parameter (';')";
            }
            if (c <= ' ' || c == 0x7f) {
                return "the path contains a control character or a space";
            }
            if (c == '%') {
                if (i + 2 >= length || hex(rawPath.charAt(i + 1)) < 0 || hex(rawPath.charAt(i + 2)) < 0) {
                    return "the path contains a malformed percent escape";
                }
                int decoded = hex(rawPath.charAt(i + 1)) * 16 + hex(rawPath.charAt(i + 2));
                if (decoded == '.' || decoded == '/' || decoded == '\\' || decoded == ';' || decoded == '%'
                        || decoded < 0x20 || decoded == 0x7f) {
                    return "the path contains an encoded '.', '/', '\\', ';', '%' or control character";
                }
                i += 2;
            }
        }
        return null;
    }

    private static String segmentProblem(String path, int start, int end, boolean last) {
        int length = end - start;
        if (length == 0) {
            // a trailing slash ends the path in an empty segment, which is harmless; "//" is not
            return last && end == path.length() && start == path.length() ? null : "the path contains '//'";
        }
        if (length == 1 && path.charAt(start) == '.') {
            return "the path contains a '.' segment";
        }
        if (length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
            return "the path contains a '..' segment";
        }
        return null;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
