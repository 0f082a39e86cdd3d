package dev.maas4j.management.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a method and a path such as {@code /api-keys/abc/usage} to a handler, with {@code {name}}
 * segments as variables. A path no route matches is a 404; a path some route matches with another
 * method is a 405 listing the allowed methods. Literal segments win over variables, so
 * {@code /api-keys/search} is never taken for a key id. Immutable once built; thread-safe.
 */
final class Router {

    /** Handles a matched call. */
    @FunctionalInterface
    interface Handler {
        void handle(Call call) throws IOException;
    }

    /** A route matched: its handler, its variables and its pattern (for logs and audit). */
    record Match(Handler handler, Map<String, String> variables, String pattern) {
    }

    private record Route(String method, String pattern, String[] segments, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, pattern, split(pattern), handler));
        return this;
    }

    /**
     * The route for {@code method} and {@code path}.
     *
     * @throws ApiException 404 when no route has this path, 405 when none has this method
     */
    Match match(String method, String path) {
        String[] segments = split(path);
        Match best = null;
        int bestLiterals = -1;
        Set<String> allowed = new TreeSet<>();
        int bestPathLiterals = -1;
        for (Route route : routes) {
            Map<String, String> variables = bind(route.segments, segments);
            if (variables == null) {
                continue;
            }
            int literals = route.segments.length - variables.size();
            if (literals > bestPathLiterals) {
                // a more literal pattern shadows the variable ones for this path, methods included
                bestPathLiterals = literals;
                allowed.clear();
            }
            if (literals < bestPathLiterals) {
                continue;
            }
            allowed.add(route.method);
            if (route.method.equals(method) && literals > bestLiterals) {
                best = new Match(route.handler, variables, route.pattern);
                bestLiterals = literals;
            }
        }
        if (best != null && bestLiterals == bestPathLiterals) {
            return best;
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("not_found", "no such endpoint: " + path);
        }
        throw ApiException.methodNotAllowed(method, path, String.join(", ", allowed));
    }

    private static Map<String, String> bind(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                variables.put(p.substring(1, p.length() - 1), path[i]);
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return variables;
    }

    private static String[] split(String path) {
        String trimmed = path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
