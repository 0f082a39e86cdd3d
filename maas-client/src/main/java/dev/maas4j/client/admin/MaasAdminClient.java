package dev.maas4j.client.admin;

import dev.maas4j.client.RetryPolicy;
import dev.maas4j.client.internal.Sleeper;
import dev.maas4j.client.internal.TransportBuilder;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A client of the gateway's management API ({@code /maas-api/v1}): API keys, usage, and for
 * administrators the catalog (models, subscriptions, policies) and the audit log. It
 * authenticates with a bearer token of the management API (an OIDC or Kubernetes token of a user
 * or administrator), never with an API key. Thread-safe.
 *
 * <pre>{@code
 * MaasAdminClient admin = MaasAdminClient.builder()
 *         .baseUrl("https://maas.example.com")
 *         .token(System.getenv("MAAS_ADMIN_TOKEN"))
 *         .build();
 * CreatedApiKey key = admin.apiKeys().create(CreateApiKeyRequest.builder("ci").subscription("premium").build());
 * vault.store(key.id(), key.key()); // the secret is returned this once
 * }</pre>
 *
 * <p>The shapes on the wire are documented in {@code docs/management-api.md}; where Open Data
 * Hub's maas-api has the same operation, they are its shapes.
 */
public interface MaasAdminClient {

    /** API keys. */
    ApiKeys apiKeys();

    /** Usage across keys ({@code GET /usage}), administrators only. */
    UsageReport usage(UsageQuery query);

    /** The models of the catalog. */
    CatalogResource<ModelRef> models();

    /** The subscriptions. */
    CatalogResource<Subscription> subscriptions();

    /** The authorization policies. */
    CatalogResource<AuthPolicy> policies();

    /** A page of the audit log ({@code GET /audit}), administrators only. */
    AuditPage audit(AuditQuery query);

    /** A new builder. */
    static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link MaasAdminClient}; settings are checked as they are set. Not thread-safe. */
    final class Builder {
        /** The management API's path on the gateway. */
        public static final String DEFAULT_BASE_PATH = "/maas-api/v1";

        private final TransportBuilder transport = new TransportBuilder("token");
        private String basePath = DEFAULT_BASE_PATH;

        private Builder() {
        }

        /** The gateway's root URL, e.g. {@code https://maas.example.com}. Required. */
        public Builder baseUrl(String url) {
            transport.baseUrl(url);
            return this;
        }

        /** As {@link #baseUrl(String)}. */
        public Builder baseUrl(URI url) {
            transport.baseUrl(url);
            return this;
        }

        /**
         * The path of the management API under the base URL; {@code /maas-api/v1} by default.
         * Use {@code /v1} to talk to a maas-api service directly, {@code ""} if the base URL already
         * ends with it.
         */
        public Builder basePath(String path) {
            this.basePath = java.util.Objects.requireNonNull(path, "basePath");
            return this;
        }

        /** The management API's bearer token (OIDC or Kubernetes), not an API key. Required. */
        public Builder token(String token) {
            transport.credential(token);
            return this;
        }

        /** Time to establish a connection; 10 s by default. */
        public Builder connectTimeout(Duration timeout) {
            transport.connectTimeout(timeout);
            return this;
        }

        /** Time to wait for each response; 10 minutes by default. */
        public Builder timeout(Duration timeout) {
            transport.requestTimeout(timeout);
            return this;
        }

        /** How often and how long to retry; {@link RetryPolicy#defaults()} by default. */
        public Builder retryPolicy(RetryPolicy policy) {
            transport.retryPolicy(policy);
            return this;
        }

        /** A header sent with every request. */
        public Builder header(String name, String value) {
            transport.header(name, value);
            return this;
        }

        /** The JDK client to use. */
        public Builder httpClient(HttpClient client) {
            transport.httpClient(client);
            return this;
        }

        /** The executor of the default {@link HttpClient} and of retries. */
        public Builder executor(Executor executor) {
            transport.executor(executor);
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            transport.sleeper(sleeper);
            return this;
        }

        /** Builds the client; fails if {@code baseUrl} or {@code token} is missing. */
        public MaasAdminClient build() {
            return new DefaultMaasAdminClient(transport.build(true, basePath));
        }

        @Override
        public String toString() {
            return "MaasAdminClient.Builder[baseUrl=" + transport.baseUrl().map(URI::toString).orElse("unset")
                    + ", basePath=" + basePath + "]";
        }
    }
}
