package dev.maas4j.gateway;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's configuration, read from a YAML file and overridden by environment variables.
 * Every section is optional; an empty file gives a gateway on {@code 127.0.0.1:8080} with the
 * built-in demo model. Unknown fields are errors, so that a typo does not pass silently.
 *
 * <pre>{@code
 * server: {host: 0.0.0.0, port: 8080, maxBodyBytes: 10485760}
 * models:
 *   - name: granite
 *     endpoints: [http://vllm:8000/v1]
 *     price: {prompt: "0.15", completion: "0.60", currency: USD}
 * policies:
 *   - {name: everyone, subjects: {groups: ["system:authenticated"]}, models: [granite]}
 * subscriptions:
 *   - name: free
 *     owner: {groups: ["system:authenticated"]}
 *     models: [{name: granite, tokenRateLimits: [{limit: 100000, window: 1m}]}]
 * }</pre>
 *
 * <p>With a {@code kubernetes} section the models, subscriptions and policies come from Open Data
 * Hub's MaaS custom resources instead of the file ({@link Kubernetes}).
 *
 * <p>Environment overrides: {@code MAAS_HOST}, {@code MAAS_PORT}, {@code MAAS_MAX_BODY_BYTES},
 * {@code MAAS_DEMO} ({@code true}/{@code false}), {@code MAAS_ADMIN_TOKEN},
 * {@code MAAS_SERVER_SECRET}, {@code MAAS_RESERVATION_STRATEGY}, {@code MAAS_K8S_NAMESPACES}
 * (comma-separated; turns the Kubernetes catalog on), {@code MAAS_STORE} ({@code h2}, {@code postgresql},
 * {@code memory}), {@code MAAS_DATA_DIR}, {@code MAAS_DB_URL} (a PostgreSQL URL; selects
 * {@code postgresql}), {@code MAAS_DB_USER}, {@code MAAS_DB_PASSWORD}; {@code MAAS_CONFIG} names the file. Upstream credentials are never written in the file: a model names the environment
 * variable holding its credential ({@code upstreamCredentialEnv}).
 *
 * @param server        listen address and request limits
 * @param upstream      how the proxy talks to models
 * @param engine        reservation and key settings
 * @param admin         the management API's bootstrap administrator
 * @param demo          the built-in demo model
 * @param models        the models published
 * @param subscriptions the subscriptions
 * @param policies      the auth policies
 * @param users         users and their groups
 * @param budgets       user and group budgets
 * @param kubernetes    where to read the catalog from Kubernetes, or {@code null} to read it from this file
 * @param store         where keys, catalog, usage and the audit trail are kept (default: an H2 file in {@code data/})
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record GatewayConfig(Server server, Upstream upstream, Engine engine, Admin admin, Demo demo,
                            List<Model> models, List<SubscriptionConfig> subscriptions, List<Policy> policies,
                            Map<String, List<String>> users, Budgets budgets, Kubernetes kubernetes, Store store) {

    /** The group every user belongs to, as in Kubernetes; policies may grant models to it. */
    public static final String ALL_USERS_GROUP = "system:authenticated";

    /** Fills in the defaults. */
    public GatewayConfig {
        server = server != null ? server : new Server(null, null, null, null, null, null, null, null, null, null, null,
                null);
        upstream = upstream != null ? upstream : new Upstream(null, null, null, null, null, null, null);
        engine = engine != null ? engine : new Engine(null, null, null, null, null, null, null, null);
        admin = admin != null ? admin : new Admin(null, null);
        demo = demo != null ? demo : new Demo(null, null, null);
        models = models != null ? List.copyOf(models) : List.of();
        subscriptions = subscriptions != null ? List.copyOf(subscriptions) : List.of();
        policies = policies != null ? List.copyOf(policies) : List.of();
        users = users != null ? Map.copyOf(users) : Map.of();
        budgets = budgets != null ? budgets : new Budgets(null, null, null);
        store = store != null ? store : new Store(null, null, null, null, null, null, null);
    }

    /** A configuration with the default store. */
    public GatewayConfig(Server server, Upstream upstream, Engine engine, Admin admin, Demo demo, List<Model> models,
                         List<SubscriptionConfig> subscriptions, List<Policy> policies, Map<String, List<String>> users,
                         Budgets budgets, Kubernetes kubernetes) {
        this(server, upstream, engine, admin, demo, models, subscriptions, policies, users, budgets, kubernetes, null);
    }

    /** The defaults: nothing configured. */
    public static GatewayConfig defaults() {
        return new GatewayConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Loads the configuration: the file named by {@code MAAS_CONFIG} (or {@code explicitPath}),
     * else the defaults; then the environment overrides.
     */
    public static GatewayConfig load(Optional<Path> explicitPath, Map<String, String> env) throws IOException {
        Optional<Path> path = explicitPath.or(() -> Optional.ofNullable(env.get("MAAS_CONFIG")).map(Path::of));
        GatewayConfig config = defaults();
        if (path.isPresent()) {
            try (InputStream in = Files.newInputStream(path.get())) {
                config = parse(in);
            }
        }
        return config.withEnvironment(env);
    }

    /** Parses YAML. */
    public static GatewayConfig parse(InputStream yaml) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        GatewayConfig config = mapper.readValue(yaml, GatewayConfig.class);
        return config == null ? defaults() : config;
    }

    /** This configuration with the {@code MAAS_*} environment variables applied. */
    public GatewayConfig withEnvironment(Map<String, String> env) {
        Server s = server.with(env.getOrDefault("MAAS_HOST", server.host()),
                env.containsKey("MAAS_PORT") ? Integer.valueOf(env.get("MAAS_PORT")) : server.port(),
                env.containsKey("MAAS_MAX_BODY_BYTES") ? Long.valueOf(env.get("MAAS_MAX_BODY_BYTES"))
                        : server.maxBodyBytes());
        Engine e = engine.with(env.getOrDefault("MAAS_RESERVATION_STRATEGY", engine.reservationStrategy()),
                env.getOrDefault("MAAS_SERVER_SECRET", engine.serverSecret()));
        Admin a = new Admin(env.getOrDefault("MAAS_ADMIN_TOKEN", admin.token()), admin.user());
        Demo d = new Demo(env.containsKey("MAAS_DEMO") ? Boolean.valueOf(env.get("MAAS_DEMO")) : demo.enabled(),
                demo.tokenDelay(), demo.printKey());
        Kubernetes k = kubernetes;
        if (env.containsKey("MAAS_K8S_NAMESPACES")) {
            List<String> namespaces = List.of(env.get("MAAS_K8S_NAMESPACES").split("\\s*,\\s*"));
            k = kubernetes == null ? new Kubernetes(namespaces, null, null, null, null, null, null)
                    : new Kubernetes(namespaces, kubernetes.allNamespaces(), kubernetes.kubeconfig(),
                    kubernetes.context(), kubernetes.resyncPeriod(), kubernetes.statusWriteBack(),
                    kubernetes.requireReadyPhase());
        }
        Store st = new Store(env.getOrDefault("MAAS_STORE", env.containsKey("MAAS_DB_URL") && store.url() == null
                ? "postgresql" : store.type()), env.getOrDefault("MAAS_DATA_DIR", store.dataDir()),
                env.getOrDefault("MAAS_DB_URL", store.url()), env.getOrDefault("MAAS_DB_USER", store.username()),
                store.passwordEnv(), store.retention(), store.failureMode());
        return new GatewayConfig(s, upstream, e, a, d, models, subscriptions, policies, users, budgets, k, st);
    }

    /** Parses {@code 250ms}, {@code 5s}, {@code 10m}, {@code 1h}, {@code 30d}. */
    static Duration duration(String text, String setting) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(setting + " must look like 250ms, 5s, 10m, 1h or 30d, was '"
                    + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    /**
     * @param host                          the address to listen on (default {@code 127.0.0.1})
     * @param port                          the port (default 8080; 0 picks a free one)
     * @param maxBodyBytes                  the largest request body (default 10 MiB); larger gets 413
     * @param includeUsageInStreams         whether streamed completions are asked for usage (default true)
     * @param acceptQueueSize               connections waiting to be accepted (default 1024, capped by the
     *                                      kernel's {@code somaxconn}); a full queue drops connection attempts,
     *                                      which clients retry only after a second
     * @param idleTimeout                   how long a connection may send nothing before it is closed,
     *                                      e.g. {@code 30s} (default): also what a client that declared a
     *                                      body and sends nothing can hold
     * @param bodyTimeout                   the longest a request body may take to arrive (default {@code 30s}); 408
     * @param minBodyBytesPerSecond         the slowest average body rate after its first 2 s (default 1024;
     *                                      0: any); 408
     * @param maxConcurrentBodiesPerAddress bodies being received at once from one client address (default
     *                                      32; 0: no bound); 429
     * @param maxConnectionsPerAddress      connections one client address may hold open (default 512; 0: no
     *                                      bound); more are closed as they open
     * @param maxAuthFailures               failed authentications per client address and window before the
     *                                      address is refused with 429 (default 20)
     * @param authFailureWindow             that window, e.g. {@code 1m} (default)
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Server(String host, Integer port, Long maxBodyBytes, Boolean includeUsageInStreams,
                         Integer acceptQueueSize, String idleTimeout, String bodyTimeout, Long minBodyBytesPerSecond,
                         Integer maxConcurrentBodiesPerAddress, Integer maxConnectionsPerAddress,
                         Integer maxAuthFailures, String authFailureWindow) {
        /** Fills in the defaults. */
        public Server {
            host = host != null ? host : "127.0.0.1";
            port = port != null ? port : 8080;
            maxBodyBytes = maxBodyBytes != null ? maxBodyBytes : 10L << 20;
            includeUsageInStreams = includeUsageInStreams == null || includeUsageInStreams;
            acceptQueueSize = acceptQueueSize != null ? acceptQueueSize : 1024;
            if (acceptQueueSize < 1) {
                throw new IllegalArgumentException("server.acceptQueueSize must be positive, was " + acceptQueueSize);
            }
            idleTimeout = idleTimeout != null ? idleTimeout : "30s";
            bodyTimeout = bodyTimeout != null ? bodyTimeout : "30s";
            minBodyBytesPerSecond = minBodyBytesPerSecond != null ? minBodyBytesPerSecond : 1024L;
            maxConcurrentBodiesPerAddress = maxConcurrentBodiesPerAddress != null ? maxConcurrentBodiesPerAddress : 32;
            maxConnectionsPerAddress = maxConnectionsPerAddress != null ? maxConnectionsPerAddress : 512;
            maxAuthFailures = maxAuthFailures != null ? maxAuthFailures : 20;
            authFailureWindow = authFailureWindow != null ? authFailureWindow : "1m";
            notNegative(minBodyBytesPerSecond, "server.minBodyBytesPerSecond");
            notNegative(maxConcurrentBodiesPerAddress, "server.maxConcurrentBodiesPerAddress");
            notNegative(maxConnectionsPerAddress, "server.maxConnectionsPerAddress");
            if (maxAuthFailures < 1) {
                throw new IllegalArgumentException("server.maxAuthFailures must be positive, was " + maxAuthFailures);
            }
        }

        /** The defaults with another host, port and body limit (the environment overrides). */
        Server with(String newHost, Integer newPort, Long newMaxBodyBytes) {
            return new Server(newHost, newPort, newMaxBodyBytes, includeUsageInStreams, acceptQueueSize, idleTimeout,
                    bodyTimeout, minBodyBytesPerSecond, maxConcurrentBodiesPerAddress, maxConnectionsPerAddress,
                    maxAuthFailures, authFailureWindow);
        }
    }

    private static void notNegative(long value, String setting) {
        if (value < 0) {
            throw new IllegalArgumentException(setting + " must not be negative, was " + value);
        }
    }

    /**
     * @param connectTimeout      e.g. {@code 5s} (default)
     * @param responseTimeout     time to the response headers, e.g. {@code 10m} (default)
     * @param idleTimeout         longest silence of a started response, e.g. {@code 5m} (default); {@code 0s}: none
     * @param http2               speak h2c / h2 to upstreams (default false: HTTP/1.1)
     * @param identityHeaders     send the verified caller upstream in {@code X-MaaS-Username}, {@code X-MaaS-Group},
     *                            {@code X-MaaS-Key-Id}, {@code X-MaaS-Subscription} (default false)
     * @param maxResponseDuration longest response once started, e.g. {@code 30m} (default); {@code 0s}: none;
     *                            a model's {@code maxResponseDuration} overrides it
     * @param maxResponseBytes    largest response body (default 256 MiB; 0: none); a model's own overrides it
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Upstream(String connectTimeout, String responseTimeout, String idleTimeout, Boolean http2,
                           Boolean identityHeaders, String maxResponseDuration, Long maxResponseBytes) {
        /** Fills in the defaults. */
        public Upstream {
            connectTimeout = connectTimeout != null ? connectTimeout : "5s";
            responseTimeout = responseTimeout != null ? responseTimeout : "10m";
            idleTimeout = idleTimeout != null ? idleTimeout : "5m";
            http2 = http2 != null && http2;
            identityHeaders = identityHeaders != null && identityHeaders;
            maxResponseDuration = maxResponseDuration != null ? maxResponseDuration : "30m";
            maxResponseBytes = maxResponseBytes != null ? maxResponseBytes : 256L << 20;
            notNegative(maxResponseBytes, "upstream.maxResponseBytes");
        }
    }

    /**
     * @param reservationStrategy    {@code WORST_CASE}, {@code EXPECTED} (default) or {@code POST_PAID}
     * @param defaultMaxOutputTokens completion tokens assumed without {@code max_tokens} (default 4096)
     * @param expectedOutputTokens   completion tokens reserved by {@code EXPECTED} (default 512)
     * @param serverSecret           HMAC secret for key hashes (optional; set it for a durable store)
     * @param maxKeyLifetime         the longest life of a key, e.g. {@code 90d} (optional)
     * @param cutRevokedRequests     whether a revoked key's requests in flight are cut (default true)
     * @param mediaTokens            tokens reserved per image, audio clip and file in a prompt
     * @param usageBound             how far reported usage is believed before it is clamped
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Engine(String reservationStrategy, Long defaultMaxOutputTokens, Long expectedOutputTokens,
                         String serverSecret, String maxKeyLifetime, Boolean cutRevokedRequests,
                         MediaTokens mediaTokens, UsageBound usageBound) {
        /** Fills in the defaults. */
        public Engine {
            reservationStrategy = reservationStrategy != null ? reservationStrategy : "EXPECTED";
            defaultMaxOutputTokens = defaultMaxOutputTokens != null ? defaultMaxOutputTokens : 4096L;
            expectedOutputTokens = expectedOutputTokens != null ? expectedOutputTokens : 512L;
            cutRevokedRequests = cutRevokedRequests == null || cutRevokedRequests;
            mediaTokens = mediaTokens != null ? mediaTokens : new MediaTokens(null, null, null);
            usageBound = usageBound != null ? usageBound : new UsageBound(null, null, null);
        }

        /** These settings with another strategy and server secret (the environment overrides). */
        Engine with(String strategy, String secret) {
            return new Engine(strategy, defaultMaxOutputTokens, expectedOutputTokens, secret, maxKeyLifetime,
                    cutRevokedRequests, mediaTokens, usageBound);
        }

        @Override
        public String toString() {
            return "Engine[reservationStrategy=" + reservationStrategy + ", defaultMaxOutputTokens="
                    + defaultMaxOutputTokens + ", expectedOutputTokens=" + expectedOutputTokens
                    + ", serverSecret=" + (serverSecret == null ? "none" : "[redacted]") + ", maxKeyLifetime="
                    + maxKeyLifetime + ", cutRevokedRequests=" + cutRevokedRequests + ", mediaTokens=" + mediaTokens
                    + ", usageBound=" + usageBound + "]";
        }
    }

    /**
     * Tokens reserved for each media part of a prompt before the model reports the real count
     * (defaults: {@code dev.maas4j.core.usage.MediaEstimates#DEFAULTS}).
     *
     * @param image per image
     * @param audio per audio clip
     * @param file  per file (PDF, document)
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record MediaTokens(Long image, Long audio, Long file) {
        /** Fills in the defaults. */
        public MediaTokens {
            image = image != null ? image : dev.maas4j.core.usage.MediaEstimates.DEFAULTS.imageTokens();
            audio = audio != null ? audio : dev.maas4j.core.usage.MediaEstimates.DEFAULTS.audioTokens();
            file = file != null ? file : dev.maas4j.core.usage.MediaEstimates.DEFAULTS.fileTokens();
        }
    }

    /**
     * Reported usage beyond prompt estimate x {@code promptFactor} + {@code promptSlack}, or beyond
     * {@code max_tokens} (else {@code completionCeiling}) per choice, is charged at that bound and
     * flagged as an anomaly.
     *
     * @param promptFactor      default 4
     * @param promptSlack       default 4096
     * @param completionCeiling default 1,000,000
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record UsageBound(Long promptFactor, Long promptSlack, Long completionCeiling) {
        /** Fills in the defaults. */
        public UsageBound {
            promptFactor = promptFactor != null ? promptFactor : 4L;
            promptSlack = promptSlack != null ? promptSlack : 4096L;
            completionCeiling = completionCeiling != null ? completionCeiling : 1_000_000L;
        }
    }

    /**
     * @param token the bootstrap administrator's bearer token for the management API; generated
     *              and printed once at start when absent
     * @param user  the administrator's user name (default {@code admin})
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Admin(String token, String user) {
        /** Fills in the defaults. */
        public Admin {
            user = user != null ? user : "admin";
        }

        @Override
        public String toString() {
            return "Admin[token=" + (token == null ? "generated" : "[redacted]") + ", user=" + user + "]";
        }
    }

    /**
     * @param enabled    whether the built-in {@code demo-echo} model is published (default true)
     * @param tokenDelay pause between streamed tokens, e.g. {@code 30ms} (default)
     * @param printKey   whether a demo API key is created and printed at start (default true)
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Demo(Boolean enabled, String tokenDelay, Boolean printKey) {
        /** Fills in the defaults. */
        public Demo {
            enabled = enabled == null || enabled;
            tokenDelay = tokenDelay != null ? tokenDelay : "30ms";
            printKey = printKey == null || printKey;
        }
    }

    /**
     * @param name                  the model's name
     * @param namespace             its namespace (default {@code default})
     * @param displayName           a display name (optional)
     * @param endpoints             upstream base URLs ending in {@code /v1}
     * @param upstreamCredentialEnv the environment variable holding the upstream's API key (optional)
     * @param enabled               default true
     * @param price                 the price per million tokens (optional)
     * @param upstreamModel         the name the upstream serves the model under, when it differs (optional):
     *                              requests may name either, the upstream always gets this one
     * @param maxResponseDuration   this model's longest response, e.g. {@code 2h} (optional: {@code upstream}'s)
     * @param maxResponseBytes      this model's largest response body (optional: {@code upstream}'s)
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Model(String name, String namespace, String displayName, List<String> endpoints,
                        String upstreamCredentialEnv, Boolean enabled, Price price, String upstreamModel,
                        String maxResponseDuration, Long maxResponseBytes) {
        /** Validates and fills in the defaults. */
        public Model {
            Objects.requireNonNull(name, "models[].name is required");
            namespace = namespace != null ? namespace : "default";
            endpoints = endpoints != null ? List.copyOf(endpoints) : List.of();
            enabled = enabled == null || enabled;
        }
    }

    /**
     * @param prompt     price of a million prompt tokens, e.g. {@code "0.15"}
     * @param completion price of a million completion tokens
     * @param currency   default {@code USD}
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Price(String prompt, String completion, String currency) {
        /** Fills in the defaults. */
        public Price {
            Objects.requireNonNull(prompt, "price.prompt is required");
            Objects.requireNonNull(completion, "price.completion is required");
            currency = currency != null ? currency : "USD";
        }
    }

    /**
     * @param groups group names
     * @param users  user names
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Subjects(List<String> groups, List<String> users) {
        /** Fills in the defaults. */
        public Subjects {
            groups = groups != null ? List.copyOf(groups) : List.of();
            users = users != null ? List.copyOf(users) : List.of();
        }
    }

    /**
     * @param name      the policy's name
     * @param namespace its namespace (default {@code default})
     * @param subjects  who it grants
     * @param models    the models it grants: {@code name} (default namespace) or {@code namespace/name}
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Policy(String name, String namespace, Subjects subjects, List<String> models) {
        /** Validates and fills in the defaults. */
        public Policy {
            Objects.requireNonNull(name, "policies[].name is required");
            namespace = namespace != null ? namespace : "default";
            subjects = subjects != null ? subjects : new Subjects(null, null);
            models = models != null ? List.copyOf(models) : List.of();
        }
    }

    /**
     * @param name      the subscription's name
     * @param namespace its namespace (default {@code default})
     * @param priority  higher wins (default 0)
     * @param owner     who it covers
     * @param models    the models with their quotas
     * @param budget    a shared budget (optional)
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record SubscriptionConfig(String name, String namespace, Integer priority, Subjects owner,
                                     List<SubscriptionModelConfig> models, BudgetConfig budget) {
        /** Validates and fills in the defaults. */
        public SubscriptionConfig {
            Objects.requireNonNull(name, "subscriptions[].name is required");
            namespace = namespace != null ? namespace : "default";
            priority = priority != null ? priority : 0;
            owner = owner != null ? owner : new Subjects(null, null);
            models = models != null ? List.copyOf(models) : List.of();
        }
    }

    /**
     * @param name              the model's name
     * @param namespace         the model's namespace (default {@code default})
     * @param tokenRateLimits   token quotas
     * @param requestRateLimits request quotas
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record SubscriptionModelConfig(String name, String namespace, List<Limit> tokenRateLimits,
                                          List<Limit> requestRateLimits) {
        /** Validates and fills in the defaults. */
        public SubscriptionModelConfig {
            Objects.requireNonNull(name, "subscriptions[].models[].name is required");
            namespace = namespace != null ? namespace : "default";
            tokenRateLimits = tokenRateLimits != null ? List.copyOf(tokenRateLimits) : List.of();
            requestRateLimits = requestRateLimits != null ? List.copyOf(requestRateLimits) : List.of();
        }
    }

    /**
     * @param limit  how many
     * @param window per window, e.g. {@code 1m}
     */
    public record Limit(long limit, String window) {
    }

    /**
     * @param amount money, e.g. {@code "10.00"}
     * @param period {@code daily}, {@code weekly}, {@code monthly}...
     */
    public record BudgetConfig(String amount, String period) {
    }

    /**
     * @param users       budgets by user
     * @param groups      budgets by group
     * @param defaultUser the budget of every other user (optional)
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Budgets(Map<String, BudgetConfig> users, Map<String, BudgetConfig> groups,
                          BudgetConfig defaultUser) {
        /** Fills in the defaults. */
        public Budgets {
            users = users != null ? Map.copyOf(users) : Map.of();
            groups = groups != null ? Map.copyOf(groups) : Map.of();
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
     * @param namespaces        the namespaces watched (default: the client's, i.e. the pod's namespace)
     * @param allNamespaces     watch every namespace instead (needs a ClusterRole binding)
     * @param kubeconfig        a kubeconfig file (default: in-cluster service account, else {@code $KUBECONFIG}
     *                          or {@code ~/.kube/config})
     * @param context           the kubeconfig context (default: its current context)
     * @param resyncPeriod      how often the informers resync and credentials Secrets are re-read, e.g.
     *                          {@code 5m} (default)
     * @param statusWriteBack   write {@code status.phase} and a condition back (default false)
     * @param requireReadyPhase serve a model only when its {@code status.phase} is {@code Ready} (default false)
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Kubernetes(List<String> namespaces, Boolean allNamespaces, String kubeconfig, String context,
                             String resyncPeriod, Boolean statusWriteBack, Boolean requireReadyPhase) {
        /** Fills in the defaults. */
        public Kubernetes {
            namespaces = namespaces != null ? List.copyOf(namespaces) : List.of();
            allNamespaces = allNamespaces != null && allNamespaces;
            resyncPeriod = resyncPeriod != null ? resyncPeriod : "5m";
            statusWriteBack = statusWriteBack != null && statusWriteBack;
            requireReadyPhase = requireReadyPhase != null && requireReadyPhase;
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
     * @param type        {@code h2} (default), {@code postgresql} or {@code memory}
     * @param dataDir     the directory of the H2 file (default {@code data})
     * @param url         the JDBC URL for {@code postgresql} (an H2 URL is accepted too)
     * @param username    the database user (optional)
     * @param passwordEnv the environment variable holding the database password (default {@code MAAS_DB_PASSWORD})
     * @param retention   purge usage events older than this, e.g. {@code 90d} (optional; hourly totals are kept)
     * @param failureMode {@code FAIL_CLOSED} (default) or {@code FAIL_OPEN}: what PostgreSQL replicas do
     *                    while the database is down
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Store(String type, String dataDir, String url, String username, String passwordEnv,
                        String retention, String failureMode) {
        /** Validates and fills in the defaults. */
        public Store {
            type = type != null ? type.strip().toLowerCase(Locale.ROOT) : "h2";
            if (!List.of("h2", "postgresql", "memory").contains(type)) {
                throw new IllegalArgumentException("store.type must be h2, postgresql or memory, was '" + type + "'");
            }
            dataDir = dataDir != null ? dataDir : "data";
            passwordEnv = passwordEnv != null ? passwordEnv : "MAAS_DB_PASSWORD";
            failureMode = failureMode != null ? failureMode.strip().toUpperCase(Locale.ROOT) : "FAIL_CLOSED";
        }
    }
}
