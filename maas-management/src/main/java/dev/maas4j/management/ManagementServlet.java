package dev.maas4j.management;

import dev.maas4j.api.AuditLog;
import dev.maas4j.core.AuthFailureThrottle;
import dev.maas4j.core.InMemoryAuditLog;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.management.internal.ManagementApi;
import dev.maas4j.management.internal.Settings;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The management API (Open Data Hub's {@code maas-api} shapes): self-service API keys, usage,
 * subscriptions, and administration of the catalog, with every change written to an
 * {@link AuditLog}. Map it at {@code /maas-api/v1/*}; paths below are relative to that mapping.
 *
 * <pre>{@code
 * MaasEngine engine = MaasEngine.builder().store(store).build();
 * Secret bootstrap = BearerTokenResolver.generateToken();
 * System.out.println("bootstrap admin token (shown once): " + bootstrap.reveal());
 * ManagementServlet management = ManagementServlet.builder(engine)
 *         .identityResolver(IdentityResolver.firstOf(
 *                 BearerTokenResolver.builder()
 *                         .addToken(bootstrap, Caller.of("bootstrap-admin", Set.of(), Role.ADMIN))
 *                         .build(),
 *                 TrustedHeaderResolver.builder().trustProxy("10.1.0.0/16").adminGroups("maas-admins").build()))
 *         .auditLog(new InMemoryAuditLog(10_000))
 *         .gatewayBaseUrl(URI.create("https://maas.example.com"))
 *         .build();
 * context.addServlet(new ServletHolder(management), "/maas-api/v1/*");   // Jetty
 * }</pre>
 *
 * <p>Endpoints: {@code POST /api-keys}, {@code GET /api-keys}, {@code POST /api-keys/search},
 * {@code POST /api-keys/bulk-revoke}, {@code GET|DELETE /api-keys/{id}},
 * {@code GET /api-keys/{id}/usage}, {@code GET /usage}, {@code GET /usage/export.csv},
 * {@code GET /models}, {@code GET /subscriptions}, {@code GET /model/{id}/subscriptions},
 * {@code POST /models|/subscriptions|/policies}, {@code GET|PUT|DELETE /models/{name}} (and the same
 * for subscriptions and policies), {@code GET /policies} and {@code GET /audit}.
 *
 * <p>Authentication: every request is resolved to a {@link Caller} by the {@link IdentityResolver};
 * API keys ({@code sk-oai-...}) are refused with 401. A credential a resolver recognises and
 * rejects ({@link CredentialRejectedException}) is a 401 whose code names the reason
 * ({@code token_expired}, {@code token_not_yet_valid}, {@code wrong_audience}, {@code bad_signature},
 * {@code unknown_key}, {@code algorithm_not_allowed}, {@code missing_claim}, {@code malformed_token});
 * a JWT no resolver claims is {@code unknown_issuer}, anything else {@code missing_credentials}.
 * Every 401 (no credential, one the resolver refuses, an API key) counts against the client's address ({@code getRemoteAddr()}: behind a
 * reverse proxy, have the container take the client's address from the proxy's forwarded
 * headers); an address with too many of them is refused with 429, {@code Retry-After} and code
 * {@code too_many_authentication_failures}, without its credential being looked at, until its
 * window ends (see {@link AuthFailureThrottle}; by default 20 failures per minute). Authorization follows the caller's
 * {@link Role}s: a user sees and revokes only their own keys (another user's key is answered with
 * 404, as if it did not exist); {@code adminReadonly} reads everything and changes nothing;
 * {@code admin} may do anything. Errors are OpenAI-style:
 * {@code {"error":{"message","type","param","code"}}}.
 *
 * <p>Thread-safe; one instance serves all requests. The servlet does no blocking work beyond the
 * stores' own, and streams the CSV export as the ledger produces it.
 */
public final class ManagementServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ManagementApi api;
    private final transient AuditLog auditLog;

    private ManagementServlet(ManagementApi api, AuditLog auditLog) {
        this.api = api;
        this.auditLog = auditLog;
    }

    /** A builder for a management API over {@code engine}. */
    public static Builder builder(MaasEngine engine) {
        return new Builder(engine);
    }

    /** The audit log changes are written to (the one given to the builder, or the default in-memory one). */
    public AuditLog auditLog() {
        return auditLog;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        api.handle(request, response);
    }

    /**
     * Builds a {@link ManagementServlet}; each setting may be given once. Not thread-safe.
     */
    public static final class Builder {
        private final MaasEngine engine;
        private final Set<String> set = new HashSet<>();
        private IdentityResolver resolver;
        private AuthFailureThrottle throttle;
        private AuditLog auditLog;
        private Optional<URI> gatewayBaseUrl = Optional.empty();
        private int maxBodyBytes = 64 * 1024;
        private int maxPageSize = 100;
        private Duration maxKeyLifetime = Duration.ofDays(90);
        private Duration ephemeralKeyLifetime = Duration.ofHours(1);
        private int maxActiveKeysPerSubscription;

        private Builder(MaasEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        private void once(String setting) {
            if (!set.add(setting)) {
                throw new IllegalStateException(setting + " was already set");
            }
        }

        /** Who is calling (required); see {@link IdentityResolver#firstOf} to combine several. */
        public Builder identityResolver(IdentityResolver value) {
            once("identityResolver");
            resolver = Objects.requireNonNull(value, "identityResolver");
            return this;
        }

        /**
         * Counts failed authentications per client address and refuses an address with too many
         * (default: 20 failures per minute, on the engine's clock, counted in the engine's meter
         * registry). Give the model API's filter the same instance, so that an address has one
         * allowance across both APIs.
         */
        public Builder authFailureThrottle(AuthFailureThrottle value) {
            once("authFailureThrottle");
            throttle = Objects.requireNonNull(value, "authFailureThrottle");
            return this;
        }

        /** Where changes are recorded (default: a {@link InMemoryAuditLog} of the latest 10,000 entries). */
        public Builder auditLog(AuditLog value) {
            once("auditLog");
            auditLog = Objects.requireNonNull(value, "auditLog");
            return this;
        }

        /**
         * The base URL clients call models at, e.g. {@code https://maas.example.com}; a key's assets
         * and the model list show {@code <base>/<namespace>/<model>}, the base URL a client appends
         * {@code /v1/...} to (Open Data Hub's {@code url}). Default: the scheme, host and port of each
         * management request, which is right when both are served by the same gateway.
         */
        public Builder gatewayBaseUrl(URI value) {
            once("gatewayBaseUrl");
            Objects.requireNonNull(value, "gatewayBaseUrl");
            if (!value.isAbsolute() || value.getHost() == null) {
                throw new IllegalArgumentException("gatewayBaseUrl must be an absolute URL, was " + value);
            }
            gatewayBaseUrl = Optional.of(value);
            return this;
        }

        /** The largest request body accepted, larger ones get 413 (default 64 KiB). */
        public Builder maxBodyBytes(int value) {
            once("maxBodyBytes");
            maxBodyBytes = positive(value, "maxBodyBytes");
            return this;
        }

        /** The largest page of {@code GET /api-keys} and {@code POST /api-keys/search} (default 100). */
        public Builder maxPageSize(int value) {
            once("maxPageSize");
            maxPageSize = positive(value, "maxPageSize");
            return this;
        }

        /**
         * The longest life of a regular key, which is also the life of a key created without
         * {@code expiresAt} or {@code expiresIn} (default 90 days, as Open Data Hub's
         * {@code API_KEY_MAX_EXPIRATION_DAYS}); reported by {@code GET /api-keys/config}. Whole days
         * are reported; the engine's own maximum, if lower, still applies.
         */
        public Builder maxKeyLifetime(Duration value) {
            once("maxKeyLifetime");
            maxKeyLifetime = positive(value, "maxKeyLifetime");
            return this;
        }

        /** The default and maximum life of an ephemeral key ({@code "ephemeral": true}; default 1 hour). */
        public Builder ephemeralKeyLifetime(Duration value) {
            once("ephemeralKeyLifetime");
            ephemeralKeyLifetime = positive(value, "ephemeralKeyLifetime");
            return this;
        }

        /**
         * The most active keys one owner may hold bound to one subscription (default: no limit).
         * Creating one more is refused with {@code 409 key_limit_reached}, naming the limit;
         * revoking a key (or its expiry) frees a slot.
         */
        public Builder maxActiveKeysPerSubscription(int value) {
            once("maxActiveKeysPerSubscription");
            maxActiveKeysPerSubscription = positive(value, "maxActiveKeysPerSubscription");
            return this;
        }

        /**
         * Builds the servlet.
         *
         * @throws IllegalStateException if no identity resolver was set
         */
        public ManagementServlet build() {
            if (resolver == null) {
                throw new IllegalStateException("identityResolver must be set: the management API never runs"
                        + " without authentication");
            }
            AuditLog log = auditLog != null ? auditLog : new InMemoryAuditLog();
            if (ephemeralKeyLifetime.compareTo(maxKeyLifetime) > 0) {
                throw new IllegalStateException("ephemeralKeyLifetime (" + ephemeralKeyLifetime
                        + ") must not exceed maxKeyLifetime (" + maxKeyLifetime + ")");
            }
            Settings settings = new Settings(gatewayBaseUrl, maxBodyBytes, maxPageSize, maxKeyLifetime,
                    ephemeralKeyLifetime, maxActiveKeysPerSubscription);
            AuthFailureThrottle failures = throttle != null ? throttle : AuthFailureThrottle.builder()
                    .timeSource(engine.timeSource()).meterRegistry(engine.meterRegistry()).build();
            return new ManagementServlet(new ManagementApi(engine, resolver, failures, log, settings), log);
        }

        private static int positive(int value, String setting) {
            if (value <= 0) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String setting) {
            Objects.requireNonNull(value, setting);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
            return value;
        }
    }
}
