package dev.maas4j.servlet.internal;

import java.util.Optional;

/**
 * Where a request path points: an optional {@code /<namespace>/<model>} prefix and the part after
 * {@code /v1}, which the proxy appends to the upstream base URL.
 *
 * @param namespace the namespace named by the route, if any
 * @param model     the model named by the route, if any
 * @param v1Suffix  the path after {@code /v1}, e.g. {@code /chat/completions}; empty for {@code /v1} itself
 */
public record Route(Optional<String> namespace, Optional<String> model, String v1Suffix) {

    /**
     * Parses a path within the application ({@code /v1/chat/completions},
     * {@code /ns/granite/v1/chat/completions}). Paths without a {@code /v1} segment keep the whole
     * path as the suffix and name no model.
     */
    public static Route parse(String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        int v1 = indexOfV1(p);
        if (v1 < 0) {
            return new Route(Optional.empty(), Optional.empty(), p);
        }
        String prefix = p.substring(0, v1);
        String suffix = p.substring(v1 + 3);
        String[] parts = prefix.split("/");
        // "/ns/model" splits to ["", "ns", "model"]
        if (parts.length == 3 && !parts[1].isEmpty() && !parts[2].isEmpty()) {
            return new Route(Optional.of(parts[1]), Optional.of(parts[2]), suffix);
        }
        return new Route(Optional.empty(), Optional.empty(), suffix);
    }

    private static int indexOfV1(String p) {
        int from = 0;
        while (true) {
            int i = p.indexOf("/v1", from);
            if (i < 0) {
                return -1;
            }
            int end = i + 3;
            if (end == p.length() || p.charAt(end) == '/') {
                return i;
            }
            from = end;
        }
    }
}
