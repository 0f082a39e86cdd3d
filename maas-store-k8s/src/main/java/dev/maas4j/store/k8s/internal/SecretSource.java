package dev.maas4j.store.k8s.internal;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Reads one value of a Secret. Implementations must be thread-safe and must never put the value in
 * an exception message or a log line.
 */
@FunctionalInterface
public interface SecretSource {

    /**
     * The value under {@code key} of Secret {@code namespace/name}.
     *
     * @throws Problem when the Secret or the key does not exist, may not be read, or the API server
     *                 cannot be reached ({@link Problem#isTransient()})
     */
    String read(String namespace, String name, String key) throws Problem;

    /** Reads Secrets with {@code get} through {@code client} (no list or watch needed). */
    static SecretSource of(KubernetesClient client) {
        return (namespace, name, key) -> {
            Secret secret;
            try {
                secret = client.secrets().inNamespace(namespace).withName(name).get();
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                    throw new Problem(Reasons.SECRET_FORBIDDEN, "the store's service account may not get secret "
                            + namespace + "/" + name + " (grant 'get' on it: see rbac/ in maas-store-k8s)", false);
                }
                throw new Problem(Reasons.SECRET_UNAVAILABLE, "secret " + namespace + "/" + name
                        + " could not be read (HTTP " + e.getCode() + "), retrying", true);
            }
            if (secret == null) {
                throw new Problem(Reasons.SECRET_NOT_FOUND, "secret " + namespace + "/" + name + " does not exist",
                        false);
            }
            String value = decoded(secret.getData(), key);
            if (value == null && secret.getStringData() != null) {
                value = secret.getStringData().get(key);
            }
            if (value == null || value.isBlank()) {
                throw new Problem(Reasons.SECRET_KEY_NOT_FOUND, "secret " + namespace + "/" + name
                        + " has no non-empty key '" + key + "'", false);
            }
            return value;
        };
    }

    private static String decoded(Map<String, String> data, String key) {
        if (data == null || data.get(key) == null) {
            return null;
        }
        try {
            String value = new String(Base64.getMimeDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
            // a value written with `echo` ends in a newline, which would break the upstream header
            return value.stripTrailing();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A Secret that cannot be used; the message names it but never holds its value. */
    final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        private final String reason;
        private final boolean transientProblem;

        /** A problem with a reason code. */
        public Problem(String reason, String message, boolean transientProblem) {
            super(message, null, false, false);
            this.reason = reason;
            this.transientProblem = transientProblem;
        }

        /** The reason code, e.g. {@code SecretNotFound}. */
        public String reason() {
            return reason;
        }

        /** Whether reading again later may succeed without anyone changing anything. */
        public boolean isTransient() {
            return transientProblem;
        }
    }
}
