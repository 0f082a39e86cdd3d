package dev.maas4j.servlet.internal;

import java.util.Locale;
import java.util.Set;

/** Which headers a client may send, and which a proxy must not pass on. Stateless. */
public final class Headers {
    /** The gateway's own header namespace: only the gateway sets these towards a model. */
    private static final String GATEWAY_NAMESPACE = "x-maas-";

    /** Headers of the gateway's namespace that a client may send (they are read, never forwarded). */
    private static final Set<String> CLIENT_MAY_SEND = Set.of("x-maas-subscription", "x-maas-return-all-models");

    /** Response headers of an upstream that describe its software: not the client's business. */
    private static final Set<String> UPSTREAM_SOFTWARE = Set.of("server", "x-powered-by");

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

    /**
     * The first header of the request that a client must not send, or {@code null}: any header of
     * the gateway's namespace ({@code X-MaaS-*}) but {@code X-MaaS-Subscription} (and
     * {@code X-MaaS-Return-All-Models}), because a model server or guardrail behind the gateway may
     * trust them as the gateway's word on who is calling.
     */
    public static String forbiddenClientHeader(Iterable<String> names) {
        for (String name : names) {
            if (name.regionMatches(true, 0, GATEWAY_NAMESPACE, 0, GATEWAY_NAMESPACE.length())
                    && !CLIENT_MAY_SEND.contains(name.toLowerCase(Locale.ROOT))) {
                return name;
            }
        }
        return null;
    }

    /** Whether a client request header may be forwarded upstream (never one of the gateway's namespace). */
    public static boolean forwardRequestHeader(String name, Set<String> connectionTokens) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.startsWith(":") && !HOP_BY_HOP.contains(lower) && !GATEWAY_ONLY.contains(lower)
                && !lower.startsWith(GATEWAY_NAMESPACE) && !connectionTokens.contains(lower);
    }

    /** Whether an upstream response header may be copied to the client. */
    public static boolean copyResponseHeader(String name, Set<String> connectionTokens) {
        String lower = name.toLowerCase(Locale.ROOT);
        // content-length is kept: the bytes pass unchanged
        return !lower.startsWith(":") && (lower.equals("content-length") || !HOP_BY_HOP.contains(lower))
                && !connectionTokens.contains(lower) && !lower.equals("set-cookie") && !UPSTREAM_SOFTWARE.contains(lower);
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
