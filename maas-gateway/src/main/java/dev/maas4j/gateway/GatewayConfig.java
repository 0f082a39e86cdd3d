package dev.maas4j.gateway;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Secret;
import dev.maas4j.api.Subscription;
import dev.maas4j.core.FailureMode;
import dev.maas4j.core.ReservationStrategy;
import dev.maas4j.management.RoleMapping;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's configuration: typed, complete and validated. It is read from a YAML file laid
 * over the defaults ({@value #DEFAULTS_RESOURCE}, which states every setting and its default
 * once), with the {@link EnvironmentOverride environment variables} over both, and checked whole
 * before anything starts: every value's type and range, every duration, enum and URL, every
 * catalog entry by the management API's own rules, and the references between them (a policy or
 * subscription naming a model that is not in the file, a model without an endpoint, two entries
 * of one name). A problem is a {@link ConfigException} whose message is one line naming the
 * setting, e.g. {@code upstream.idleTimeout: "5x" is not a duration (e.g. 30s, 5m)}.
 *
 * <p>The catalog ({@code models}, {@code policies}, {@code subscriptions}) is written in the
 * management API's input shapes ({@code POST /models}, {@code /policies}, {@code /subscriptions};
 * Open Data Hub's CRDs), read by {@link dev.maas4j.management.CatalogDocuments}:
 *
 * <pre>{@code
 * server: {host: 0.0.0.0, port: 8080}
 * models:
 *   - name: granite
 *     endpoints: [http://vllm:8000/v1]
 *     price: {promptPerMillion: "0.15", completionPerMillion: "0.60", currency: USD}
 * policies:
 *   - name: everyone
 *     subjects: {groups: [{name: "system:authenticated"}]}
 *     modelRefs: [{name: granite}]
 * subscriptions:
 *   - name: free
 *     owner: {groups: [{name: "system:authenticated"}]}
 *     modelRefs: [{name: granite, tokenRateLimits: [{limit: 100000, window: 1m}]}]
 * }</pre>
 *
 * <pre>{@code
 * GatewayConfig config = GatewayConfig.load(Optional.of(Path.of("gateway.yaml")), System.getenv());
 * GatewayConfig forATest = GatewayConfig.parse("demo: {enabled: false}", Map.of("MAAS_PORT", "0"));
 * }</pre>
 *
 * <p>Secrets ({@code admin.token}, {@code engine.serverSecret}, {@code store.password},
 * {@code models[].upstreamCredential}) are {@link Secret}s, never shown by {@link #toString()};
 * in the file each is text or {@code ${VARIABLE}}, read from the environment. With a
 * {@code kubernetes} section the catalog is Open Data Hub's custom resources instead
 * ({@link Kubernetes}). Immutable and thread-safe.
 *
 * @param server        listen address and request limits
 * @param upstream      how the proxy talks to models
 * @param engine        reservation and key settings
 * @param admin         the management API's bootstrap administrator
 * @param demo          the built-in demo model
 * @param models        the models the file publishes
 * @param policies      its auth policies
 * @param subscriptions its subscriptions
 * @param users         users and their groups
 * @param budgets       user and group budgets
 * @param kubernetes    where to read the catalog from Kubernetes, if it comes from there
 * @param store         where keys, catalog, usage and the audit trail are kept
 * @param identity      who else may call the management API: tokens, OIDC issuers, a trusted proxy
 */
public record GatewayConfig(Server server, Upstream upstream, Engine engine, Admin admin, Demo demo,
                            List<ModelRef> models, List<AuthPolicy> policies, List<Subscription> subscriptions,
                            Map<String, Set<String>> users, Budgets budgets, Optional<Kubernetes> kubernetes,
                            Store store, Identity identity) {

    /** The group every user belongs to, as in Kubernetes; policies may grant models to it. */
    public static final String ALL_USERS_GROUP = "system:authenticated";

    /** The class-path resource that holds every setting's default, quoted in the gateway's README. */
    public static final String DEFAULTS_RESOURCE = "/dev/maas4j/gateway/defaults.yaml";

    /** Checks that every part is present, and copies the collections. */
    public GatewayConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(demo, "demo");
        models = List.copyOf(models);
        policies = List.copyOf(policies);
        subscriptions = List.copyOf(subscriptions);
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        users.forEach((user, groups) -> copy.put(user, Set.copyOf(groups)));
        users = Collections.unmodifiableMap(copy);
        Objects.requireNonNull(budgets, "budgets");
        Objects.requireNonNull(kubernetes, "kubernetes");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(identity, "identity");
    }

    /**
     * Loads the configuration: the file {@code explicitPath}, else the one {@code MAAS_CONFIG}
     * names, else none (the defaults); then the environment overrides.
     *
     * @param explicitPath the file, e.g. the command line's first argument
     * @param env          the environment ({@code System.getenv()}): overrides and {@code ${VARIABLE}}s
     * @throws ConfigException one line: the file cannot be read, its YAML is wrong, or a setting is
     */
    public static GatewayConfig load(Optional<Path> explicitPath, Map<String, String> env) {
        Optional<Path> path = explicitPath.or(() -> Optional.ofNullable(env.get(EnvironmentOverride.CONFIG_FILE))
                .filter(p -> !p.isBlank()).map(Path::of));
        return ConfigLoader.load(path, env);
    }

    /**
     * Reads a configuration from YAML text (an empty text is the defaults), with {@code env}'s overrides.
     *
     * @throws ConfigException one line naming what is wrong
     */
    public static GatewayConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, "configuration", env);
    }

    /** The defaults: no file, no environment. */
    public static GatewayConfig defaults() {
        return parse("", Map.of());
    }

    /**
     * @param host                          the address to listen on
     * @param port                          the port (0 picks a free one)
     * @param maxBodyBytes                  the largest request body; larger gets 413
     * @param includeUsageInStreams         whether streamed completions are asked for usage
     * @param acceptQueueSize               connections waiting to be accepted (capped by the kernel's
     *                                      {@code somaxconn}); a full queue drops connection attempts,
     *                                      which clients retry only after a second
     * @param idleTimeout                   how long a connection may send nothing before it is closed:
     *                                      also what a client that declared a body and sends nothing can hold
     * @param bodyTimeout                   the longest a request body may take to arrive; 408
     * @param minBodyBytesPerSecond         the slowest average body rate after its first 2 s (0: any); 408
     * @param maxConcurrentBodiesPerAddress bodies being received at once from one client address (0: no bound); 429
     * @param maxConnectionsPerAddress      connections one client address may hold open (0: no bound); more
     *                                      are closed as they open
     * @param maxAuthFailures               failed authentications per client address and window before the
     *                                      address is refused with 429
     * @param authFailureWindow             that window
     */
    public record Server(String host, int port, long maxBodyBytes, boolean includeUsageInStreams,
                         int acceptQueueSize, Duration idleTimeout, Duration bodyTimeout, long minBodyBytesPerSecond,
                         int maxConcurrentBodiesPerAddress, int maxConnectionsPerAddress, int maxAuthFailures,
                         Duration authFailureWindow) {
        /** Checks that every part is present. */
        public Server {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(bodyTimeout, "bodyTimeout");
            Objects.requireNonNull(authFailureWindow, "authFailureWindow");
        }
    }

    /**
     * @param connectTimeout      to open a connection to an upstream
     * @param responseTimeout     to the response headers
     * @param idleTimeout         longest silence of a started response; {@link Duration#ZERO}: none
     * @param http2               speak h2c / h2 to upstreams (else HTTP/1.1)
     * @param identityHeaders     send the verified caller upstream in {@code X-MaaS-Username},
     *                            {@code X-MaaS-Group}, {@code X-MaaS-Key-Id}, {@code X-MaaS-Subscription}
     * @param maxResponseDuration longest response once started; {@link Duration#ZERO}: none; a model's
     *                            {@code maxResponseDuration} overrides it
     * @param maxResponseBytes    largest response body (0: none); a model's own overrides it
     */
    public record Upstream(Duration connectTimeout, Duration responseTimeout, Duration idleTimeout, boolean http2,
                           boolean identityHeaders, Duration maxResponseDuration, long maxResponseBytes) {
        /** Checks that every part is present. */
        public Upstream {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(responseTimeout, "responseTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(maxResponseDuration, "maxResponseDuration");
        }
    }

    /**
     * @param reservationStrategy    how much a request reserves before its usage is known
     * @param defaultMaxOutputTokens completion tokens assumed without {@code max_tokens}
     * @param expectedOutputTokens   completion tokens reserved by {@link ReservationStrategy#EXPECTED}
     * @param serverSecret           HMAC secret for key hashes, if any (set it for a durable store)
     * @param maxKeyLifetime         the longest life of a key, if limited (the management API's 90 days otherwise)
     * @param cutRevokedRequests     whether a revoked key's requests in flight are cut
     * @param mediaTokens            tokens reserved per image, audio clip and file in a prompt
     * @param usageBound             how far reported usage is believed before it is clamped
     * @param maxActiveKeysPerSubscription the most active keys a user may hold per subscription (0: no limit)
     */
    public record Engine(ReservationStrategy reservationStrategy, long defaultMaxOutputTokens,
                         long expectedOutputTokens, Optional<Secret> serverSecret, Optional<Duration> maxKeyLifetime,
                         boolean cutRevokedRequests, MediaTokens mediaTokens, UsageBound usageBound,
                         int maxActiveKeysPerSubscription) {
        /** Without a limit on active keys: the components as before that limit was added. */
        public Engine(ReservationStrategy reservationStrategy, long defaultMaxOutputTokens, long expectedOutputTokens,
                      Optional<Secret> serverSecret, Optional<Duration> maxKeyLifetime, boolean cutRevokedRequests,
                      MediaTokens mediaTokens, UsageBound usageBound) {
            this(reservationStrategy, defaultMaxOutputTokens, expectedOutputTokens, serverSecret, maxKeyLifetime,
                    cutRevokedRequests, mediaTokens, usageBound, 0);
        }

        /** Checks that every part is present. */
        public Engine {
            Objects.requireNonNull(reservationStrategy, "reservationStrategy");
            Objects.requireNonNull(serverSecret, "serverSecret");
            Objects.requireNonNull(maxKeyLifetime, "maxKeyLifetime");
            Objects.requireNonNull(mediaTokens, "mediaTokens");
            Objects.requireNonNull(usageBound, "usageBound");
        }
    }

    /**
     * Tokens reserved for each media part of a prompt before the model reports the real count.
     *
     * @param image per image
     * @param audio per audio clip
     * @param file  per file (PDF, document)
     */
    public record MediaTokens(long image, long audio, long file) {
    }

    /**
     * Reported usage beyond prompt estimate x {@code promptFactor} + {@code promptSlack}, or beyond
     * {@code max_tokens} (else {@code completionCeiling}) per choice, is charged at that bound and
     * flagged as an anomaly.
     *
     * @param promptFactor      the prompt estimate's multiple
     * @param promptSlack       tokens added to it
     * @param completionCeiling completion tokens per choice without {@code max_tokens}
     */
    public record UsageBound(long promptFactor, long promptSlack, long completionCeiling) {
    }

    /**
     * @param token the bootstrap administrator's bearer token for the management API; generated
     *              and printed once at start when absent. A configured one must be 32 characters
     *              or more and mostly unguessable (the gateway README's Security section)
     * @param user  the administrator's user name
     */
    public record Admin(Optional<Secret> token, String user) {
        /** Checks that every part is present and a configured token is strong. */
        public Admin {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(user, "user");
            token.ifPresent(t -> AdminTokenRule.requireStrong(t.reveal()));
        }
    }

    /**
     * @param enabled    whether the built-in {@code demo-echo} model is published (never with a Kubernetes catalog)
     * @param tokenDelay pause between streamed tokens
     * @param printKey   whether a demo API key is created and printed at start
     */
    public record Demo(boolean enabled, Duration tokenDelay, boolean printKey) {
        /** Checks that every part is present. */
        public Demo {
            Objects.requireNonNull(tokenDelay, "tokenDelay");
        }
    }

    /**
     * @param users       budgets by user
     * @param groups      budgets by group
     * @param defaultUser the budget of every other user, if any
     */
    public record Budgets(Map<String, Budget> users, Map<String, Budget> groups, Optional<Budget> defaultUser) {
        /** Copies the maps. */
        public Budgets {
            users = Map.copyOf(users);
            groups = Map.copyOf(groups);
            Objects.requireNonNull(defaultUser, "defaultUser");
        }
    }

    /**
     * The catalog from Open Data Hub's {@code MaaSModelRef}, {@code MaaSSubscription} and
     * {@code MaaSAuthPolicy} custom resources (module maas-store-k8s). The file's {@code models},
     * {@code subscriptions} and {@code policies} must then be empty, and the demo model is not
     * published; keys, usage, users and budgets stay as configured.
     *
     * <pre>{@code
     * kubernetes:
     *   namespaces: [llm, models-as-a-service]   # MAAS_K8S_NAMESPACES
     *   kubeconfig: /etc/maas/kubeconfig         # default: the pod's service account, else $KUBECONFIG or ~/.kube/config
     * }</pre>
     *
     * @param namespaces        the namespaces watched (none: the client's, i.e. the pod's namespace)
     * @param allNamespaces     watch every namespace instead (needs a ClusterRole binding)
     * @param kubeconfig        a kubeconfig file, if not the in-cluster service account ({@code $KUBECONFIG}
     *                          or {@code ~/.kube/config})
     * @param context           the kubeconfig context, if not its current one
     * @param resyncPeriod      how often the informers resync and credentials Secrets are re-read;
     *                          {@link Duration#ZERO}: never
     * @param statusWriteBack   write {@code status.phase} and a condition back
     * @param requireReadyPhase serve a model only when its {@code status.phase} is {@code Ready}
     */
    public record Kubernetes(List<String> namespaces, boolean allNamespaces, Optional<Path> kubeconfig,
                             Optional<String> context, Duration resyncPeriod, boolean statusWriteBack,
                             boolean requireReadyPhase) {
        /** Checks that every part is present, and copies the list. */
        public Kubernetes {
            namespaces = List.copyOf(namespaces);
            Objects.requireNonNull(kubeconfig, "kubeconfig");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(resyncPeriod, "resyncPeriod");
        }
    }

    /** Where keys, catalog, usage and the audit trail are kept. */
    public enum StoreType {
        /** An H2 file in {@link Store#dataDir()}: everything survives a restart (the default). */
        H2,
        /** PostgreSQL at {@link Store#url()}: replicas share keys, catalog, usage and limits. */
        POSTGRESQL,
        /** Memory: nothing survives a restart. */
        MEMORY;

        /** The name as the configuration writes it: {@code h2}, {@code postgresql}, {@code memory}. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where keys, catalog, usage and the audit trail are kept.
     *
     * <pre>{@code
     * store: {type: h2, dataDir: /var/lib/maas}                      # the default: data/maas.mv.db
     * store: {type: postgresql, url: "jdbc:postgresql://db:5432/maas", username: maas, retention: 90d}
     * store: {type: memory}                                          # nothing survives a restart
     * }</pre>
     *
     * @param type        the kind of store
     * @param dataDir     the directory of the H2 file
     * @param url         the JDBC URL ({@link StoreType#POSTGRESQL} needs one; an H2 URL is accepted too)
     * @param username    the database user, if any
     * @param password    the database password, if any
     * @param retention   purge usage events older than this, if set (hourly totals are kept)
     * @param failureMode what PostgreSQL replicas do while the database is down
     */
    public record Store(StoreType type, Path dataDir, Optional<String> url, Optional<String> username,
                        Optional<Secret> password, Optional<Duration> retention, FailureMode failureMode) {
        /** Checks that every part is present. */
        public Store {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(failureMode, "failureMode");
        }
    }

    /**
     * Who may call the management API besides the bootstrap administrator ({@link Admin}), asked
     * in this order: configured {@link StaticToken tokens} (with the bootstrap token), each
     * {@link Oidc OIDC issuer}, the {@link TrustedHeaders trusted proxy}. Groups map to roles
     * through {@code roles}, the same for every source; everyone authenticated may manage their
     * own keys.
     *
     * <pre>{@code
     * identity:
     *   oidc:
     *     - issuer: https://keycloak.example.com/realms/maas
     *       audience: maas-api
     *       groupsClaim: groups              # or realm_access.roles
     *   trustedHeaders: {trustedProxies: [10.0.0.0/8]}
     *   tokens:
     *     - {sha256: "<printf %s "$TOKEN" | sha256sum>", user: ci-bot, groups: [ci]}
     *   roles:
     *     admin: [maas-admins]
     *     adminReadonly: [auditors]
     * }</pre>
     *
     * @param oidc           the OIDC issuers whose access tokens are accepted, in order
     * @param trustedHeaders the authenticating proxy whose headers are believed, if any
     * @param tokens         management tokens, by their SHA-256
     * @param roles          which groups grant {@code admin} and {@code adminReadonly}
     */
    public record Identity(List<Oidc> oidc, Optional<TrustedHeaders> trustedHeaders, List<StaticToken> tokens,
                           RoleMapping roles) {
        /** Checks that every part is present, and copies the lists. */
        public Identity {
            oidc = List.copyOf(oidc);
            Objects.requireNonNull(trustedHeaders, "trustedHeaders");
            tokens = List.copyOf(tokens);
            Objects.requireNonNull(roles, "roles");
        }
    }

    /**
     * An OIDC issuer whose access tokens (JWTs) are accepted
     * ({@link dev.maas4j.management.OidcTokenResolver}).
     *
     * @param issuer      the tokens' {@code iss}, where the discovery document is
     * @param audience    what their {@code aud} must include, if checked
     * @param userClaim   the claim naming the user
     * @param groupsClaim the claim holding the groups (a dotted path reaches nested ones)
     * @param groupPrefix added to each group
     * @param clockSkew   how far {@code exp} and {@code nbf} may be off
     */
    public record Oidc(String issuer, Optional<String> audience, String userClaim, String groupsClaim,
                       String groupPrefix, Duration clockSkew) {
        /** Checks that every part is present. */
        public Oidc {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(userClaim, "userClaim");
            Objects.requireNonNull(groupsClaim, "groupsClaim");
            Objects.requireNonNull(groupPrefix, "groupPrefix");
            Objects.requireNonNull(clockSkew, "clockSkew");
        }
    }

    /**
     * An authenticating proxy (oauth2-proxy, say) whose user and groups headers are believed on
     * connections from {@code trustedProxies} only ({@link dev.maas4j.management.TrustedHeaderResolver}).
     *
     * @param userHeader     the header naming the user
     * @param groupsHeader   the header with the comma-separated groups
     * @param trustedProxies the proxies' addresses or CIDR blocks, at least one
     */
    public record TrustedHeaders(String userHeader, String groupsHeader, List<String> trustedProxies) {
        /** Checks that every part is present, and copies the list. */
        public TrustedHeaders {
            Objects.requireNonNull(userHeader, "userHeader");
            Objects.requireNonNull(groupsHeader, "groupsHeader");
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /**
     * A management token declared by its SHA-256 (the token itself stays with its holder).
     *
     * @param sha256 the token's SHA-256, 64 hexadecimal digits
     * @param user   the user it authenticates
     * @param groups that user's groups, for {@link Identity#roles()}
     */
    public record StaticToken(String sha256, String user, Set<String> groups) {
        /** Checks that every part is present, and copies the groups. */
        public StaticToken {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(user, "user");
            groups = Set.copyOf(groups);
        }
    }
}
