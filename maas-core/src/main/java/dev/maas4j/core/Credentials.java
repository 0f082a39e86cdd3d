package dev.maas4j.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The one place that reads credentials off a request: the API key a client presented, a bearer
 * token, and which headers and query parameters carry a credential (so that they are hidden and
 * never forwarded). Works on header lookups, so every adapter (servlet, management, ext-authz) uses
 * it alike. Stateless.
 *
 * <pre>{@code
 * Optional<String> key = Credentials.presentedKey(request::getHeader);
 * }</pre>
 */
public final class Credentials {
    private Credentials() {
    }

    /**
     * The key from {@code Authorization: Bearer}, {@code x-api-key}, or HTTP Basic (the key as the
     * password, as 3scale portals hand it out; the user name is ignored).
     */
    public static Optional<String> presentedKey(UnaryOperator<String> headers) {
        String authorization = headers.apply("Authorization");
        if (authorization != null) {
            String value = authorization.strip();
            if (startsWithIgnoreCase(value, "Bearer ")) {
                return nonBlank(value.substring(7));
            }
            if (startsWithIgnoreCase(value, "Basic ")) {
                return basicPassword(value.substring(6).strip());
            }
        }
        String apiKey = headers.apply("x-api-key");
        if (apiKey != null) {
            return nonBlank(apiKey);
        }
        return Optional.empty();
    }

    /**
     * Query parameters that carry a credential in some client or provider convention (Azure's
     * {@code api-key}, Google's {@code key}, OAuth's {@code access_token}). They are never accepted
     * as the key, and never forwarded.
     */
    private static final java.util.Set<String> CREDENTIAL_PARAMETERS = java.util.Set.of("api-key", "api_key",
            "apikey", "key", "access_token", "token", "x-api-key", "authorization", "subscription-key");

    /** Whether a query parameter's name says it carries a credential. */
    public static boolean isCredentialParameter(String name) {
        return CREDENTIAL_PARAMETERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The raw query string without credential parameters ({@link #isCredentialParameter}) and
     * without any parameter whose raw value contains {@code presentedKey}; {@code null} when
     * nothing remains. The other parameters pass byte for byte, in order.
     */
    public static String queryWithoutCredentials(String rawQuery, String presentedKey) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        StringBuilder kept = new StringBuilder(rawQuery.length());
        int start = 0;
        int length = rawQuery.length();
        while (start <= length) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            String pair = rawQuery.substring(start, end);
            if (!pair.isEmpty() && !carriesCredential(pair, presentedKey)) {
                if (kept.length() > 0) {
                    kept.append('&');
                }
                kept.append(pair);
            }
            start = end + 1;
        }
        return kept.length() == 0 ? null : kept.toString();
    }

    /** A pair that cannot be decoded is treated as a credential: it might be one, spelled oddly. */
    private static boolean carriesCredential(String pair, String presentedKey) {
        int equals = pair.indexOf('=');
        String name = decode(equals < 0 ? pair : pair.substring(0, equals));
        if (name == null || isCredentialParameter(name.strip())) {
            return true;
        }
        if (equals < 0 || presentedKey == null || presentedKey.isEmpty()) {
            return false;
        }
        String value = decode(pair.substring(equals + 1));
        return value == null || value.contains(presentedKey);
    }

    private static String decode(String raw) {
        try {
            return java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header value, if it is one. */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        return startsWithIgnoreCase(value, "Bearer ") ? nonBlank(value.substring(7)) : Optional.empty();
    }

    /** Whether a header carries the client's credential, and so must never be forwarded. */
    public static boolean isCredentialHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("authorization") || lower.equals("x-api-key") || lower.equals("api-key")
                || lower.equals("proxy-authorization");
    }

    private static Optional<String> basicPassword(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        // "user:key" is the documented form; a bare token is accepted as the key itself
        return nonBlank(colon >= 0 ? decoded.substring(colon + 1) : decoded);
    }

    private static Optional<String> nonBlank(String value) {
        String stripped = value.strip();
        return stripped.isEmpty() ? Optional.empty() : Optional.of(stripped);
    }

    private static boolean startsWithIgnoreCase(String value, String prefix) {
        return value.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
