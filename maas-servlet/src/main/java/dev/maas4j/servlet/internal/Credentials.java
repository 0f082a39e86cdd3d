package dev.maas4j.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** Finds the API key a client presented. Stateless. */
public final class Credentials {
    private Credentials() {
    }

    /**
     * The key from {@code Authorization: Bearer}, {@code x-api-key}, or HTTP Basic (the key as the
     * password, as 3scale portals hand it out; the user name is ignored).
     */
    public static Optional<String> presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            String value = authorization.strip();
            if (startsWithIgnoreCase(value, "Bearer ")) {
                return nonBlank(value.substring(7));
            }
            if (startsWithIgnoreCase(value, "Basic ")) {
                return basicPassword(value.substring(6).strip());
            }
        }
        String apiKey = request.getHeader("x-api-key");
        if (apiKey != null) {
            return nonBlank(apiKey);
        }
        return Optional.empty();
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
