package dev.maas4j.client.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One API call before it becomes an HTTP request: method, path relative to the base URL, query
 * parameters and JSON body.
 *
 * @param method HTTP method
 * @param path   path relative to the base URL, without a leading slash, segments already encoded
 * @param query  query parameters in order, values not yet encoded
 * @param body   the JSON body, if any
 */
public record Call(String method, String path, Map<String, String> query, Optional<byte[]> body) {

    /** Copies the query. */
    public Call {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    /** A {@code GET} of {@code path}. */
    public static Call get(String path) {
        return new Call("GET", path, Map.of(), Optional.empty());
    }

    /** A {@code DELETE} of {@code path}. */
    public static Call delete(String path) {
        return new Call("DELETE", path, Map.of(), Optional.empty());
    }

    /** A {@code POST} of {@code json} to {@code path}. */
    public static Call post(String path, byte[] json) {
        return new Call("POST", path, Map.of(), Optional.of(json));
    }

    /** A {@code PUT} of {@code json} to {@code path}. */
    public static Call put(String path, byte[] json) {
        return new Call("PUT", path, Map.of(), Optional.of(json));
    }

    /** This call with one more query parameter. */
    public Call query(String name, String value) {
        Map<String, String> q = new LinkedHashMap<>(query);
        q.put(name, value);
        return new Call(method, path, q, body);
    }

    /** Whether repeating the call cannot do more than doing it once (every method but POST). */
    public boolean idempotent() {
        return !"POST".equals(method);
    }

    /** The path and encoded query string. */
    public String target() {
        if (query.isEmpty()) {
            return path;
        }
        StringBuilder s = new StringBuilder(path).append('?');
        query.forEach((k, v) -> {
            if (s.charAt(s.length() - 1) != '?') {
                s.append('&');
            }
            s.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return s.toString();
    }

    /** Percent-encodes one path segment (an id or a name), so that {@code /} or spaces in it stay inside it. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
