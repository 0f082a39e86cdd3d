package dev.maas4j.servlet.internal;

import dev.maas4j.api.Grant;

import java.net.http.HttpRequest;
import java.util.TreeSet;

/**
 * The verified caller, told to a model server or guardrail behind the gateway in the gateway's own
 * headers, which no client can send (the filter refuses them): {@code X-MaaS-Username},
 * {@code X-MaaS-Group} (the groups, sorted, comma-separated), {@code X-MaaS-Key-Id} and
 * {@code X-MaaS-Subscription}. A value that is not a valid header value (a control character in a
 * group name, say) is left out rather than sent altered. Stateless.
 */
final class IdentityHeaders {
    static final String USERNAME = "X-MaaS-Username";
    static final String GROUP = "X-MaaS-Group";
    static final String KEY_ID = "X-MaaS-Key-Id";
    static final String SUBSCRIPTION = "X-MaaS-Subscription";

    private IdentityHeaders() {
    }

    static void add(HttpRequest.Builder builder, Grant grant) {
        set(builder, USERNAME, grant.identity().user());
        set(builder, GROUP, String.join(",", new TreeSet<>(grant.identity().groups())));
        set(builder, KEY_ID, grant.key().id());
        set(builder, SUBSCRIPTION, grant.subscription().name());
    }

    private static void set(HttpRequest.Builder builder, String name, String value) {
        if (value.isEmpty()) {
            return;
        }
        try {
            builder.setHeader(name, value);
        } catch (IllegalArgumentException e) {
            // not a valid header value: leave it out
        }
    }
}
