package dev.maas4j.servlet.internal;

import java.util.Locale;
import java.util.Set;

/** Which headers a proxy must not pass on. Stateless. */
public final class Headers {
    /** Hop-by-hop headers (RFC 9110 §7.6.1) and those the JDK client sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "http2-settings", "proxy-connection");

    /**
     * Request headers that stay at the gateway: the client's credentials, its cookies, the
     * subscription choice, and {@code accept-encoding} (a compressed answer could not be metered).
     */
    private static final Set<String> GATEWAY_ONLY = Set.of("authorization", "x-api-key", "api-key", "cookie",
            "x-maas-subscription", "accept-encoding", "forwarded", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "x-real-ip");

    private Headers() {
    }

    /** Whether a client request header may be forwarded upstream. */
    public static boolean forwardRequestHeader(String name, Set<String> connectionTokens) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.startsWith(":") && !HOP_BY_HOP.contains(lower) && !GATEWAY_ONLY.contains(lower)
                && !connectionTokens.contains(lower);
    }

    /** Whether an upstream response header may be copied to the client. */
    public static boolean copyResponseHeader(String name, Set<String> connectionTokens) {
        String lower = name.toLowerCase(Locale.ROOT);
        // content-length is kept: the bytes pass unchanged
        return !lower.startsWith(":") && (lower.equals("content-length") || !HOP_BY_HOP.contains(lower))
                && !connectionTokens.contains(lower) && !lower.equals("set-cookie");
    }

    /** The lower-case header names listed in a {@code Connection} header (also hop-by-hop). */
    public static Set<String> connectionTokens(Iterable<String> connectionValues) {
        java.util.HashSet<String> tokens = new java.util.HashSet<>();
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String t = token.strip().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }
}
