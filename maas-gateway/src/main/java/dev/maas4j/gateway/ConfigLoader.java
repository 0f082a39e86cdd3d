package dev.maas4j.gateway;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.Secret;
import dev.maas4j.api.Subscription;
import dev.maas4j.core.FailureMode;
import dev.maas4j.core.ReservationStrategy;
import dev.maas4j.management.CatalogDocuments;
import dev.maas4j.management.CatalogDocuments.InvalidDocumentException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@link GatewayConfig}: the YAML file as a tree, the environment's overrides written into
 * it, the tree laid over the defaults file, then every setting read into the typed records and the
 * catalog read by the management API's {@link CatalogDocuments}, with the references between its
 * entries checked. Each step fails with a one-line {@link ConfigException}. Stateless.
 */
final class ConfigLoader {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /** Positive: "longer than zero" for {@link ConfigSection#duration}. */
    private static final Duration POSITIVE = Duration.ofNanos(1);

    /** The defaults, read once. */
    private static final ObjectNode DEFAULTS = readDefaults();

    private ConfigLoader() {
    }

    static GatewayConfig load(Optional<Path> path, Map<String, String> env) {
        if (path.isEmpty()) {
            return parse("", "configuration", env);
        }
        String text;
        try {
            text = Files.readString(path.get(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path.get() + ": no such file");
        } catch (MalformedInputException e) {
            throw new ConfigException(path.get() + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(path.get() + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return parse(text, path.get().toString(), env);
    }

    static GatewayConfig parse(String yaml, String source, Map<String, String> env) {
        ObjectNode file = read(yaml, source);
        Map<String, String> fromEnvironment = new LinkedHashMap<>();
        override(file, env, fromEnvironment);
        ObjectNode merged = merge(DEFAULTS, file);
        if (!file.has("kubernetes")) {
            // its defaults apply only to a Kubernetes catalog that was asked for
            merged.remove("kubernetes");
        }
        // the file or MAAS_STORE chose the store's type; else a PostgreSQL URL chooses postgresql
        boolean typeChosen = !file.path("store").path("type").isMissingNode();
        return bind(merged, typeChosen, new ConfigSection.Origins(fromEnvironment), env);
    }

    // ------------------------------------------------------------------ the tree

    private static ObjectNode read(String yaml, String source) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + syntaxError(e));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw new ConfigException(source + ": the configuration must be sections of settings (server:, "
                    + "models:, ...), not a single value or a list");
        }
        return (ObjectNode) tree;
    }

    /** {@code , line 3, column 7: mapping values are not allowed here}: the problem without the text quoted. */
    private static String syntaxError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String problem = e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException yaml
                && yaml.getProblem() != null ? yaml.getProblem() : String.valueOf(e.getOriginalMessage());
        problem = problem.lines().findFirst().orElse("").strip()
                // a quoted token may be a pasted secret
                .replaceAll("'[^']{17,}'", "'…'");
        String where = at == null || at.getLineNr() < 1 ? ""
                : ", line " + at.getLineNr() + ", column " + at.getColumnNr();
        return where + ": " + (problem.isEmpty() ? "not valid YAML" : problem);
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = GatewayConfig.class.getResourceAsStream(GatewayConfig.DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(GatewayConfig.DEFAULTS_RESOURCE + " is missing from the class path");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(GatewayConfig.DEFAULTS_RESOURCE + " cannot be read", e);
        }
    }

    /** Writes each {@link EnvironmentOverride} that {@code env} sets into {@code file}. */
    private static void override(ObjectNode file, Map<String, String> env, Map<String, String> fromEnvironment) {
        for (EnvironmentOverride o : EnvironmentOverride.values()) {
            String value = env.get(o.variable());
            if (value == null) {
                continue;
            }
            JsonNode node = TextNode.valueOf(value);
            if (o == EnvironmentOverride.MAAS_K8S_NAMESPACES) {
                ArrayNode namespaces = JsonNodeFactory.instance.arrayNode();
                Arrays.stream(value.split(",")).map(String::strip).filter(n -> !n.isEmpty()).forEach(namespaces::add);
                if (namespaces.isEmpty()) {
                    throw new ConfigException(o.variable() + "=" + value + ": " + o.path()
                            + " must be namespaces separated by commas (e.g. llm,models-as-a-service)");
                }
                node = namespaces;
            }
            put(file, o.path(), node);
            fromEnvironment.put(o.variable(), value);
        }
    }

    private static void put(ObjectNode root, String path, JsonNode value) {
        String[] keys = path.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode next = at.get(keys[i]);
            if (next == null || next.isNull()) {
                next = at.putObject(keys[i]);
            } else if (!next.isObject()) {
                return; // the file's value is wrong already: reading it says so
            }
            at = (ObjectNode) next;
        }
        at.set(keys[keys.length - 1], value);
    }

    /** {@code file} laid over {@code defaults}: sections merge, any other value replaces. */
    private static ObjectNode merge(ObjectNode defaults, ObjectNode file) {
        ObjectNode merged = defaults.deepCopy();
        file.fields().forEachRemaining(e -> {
            JsonNode base = merged.get(e.getKey());
            JsonNode value = e.getValue();
            if (base != null && base.isObject() && value.isObject()) {
                merged.set(e.getKey(), merge((ObjectNode) base, (ObjectNode) value));
            } else if (!(base != null && base.isObject() && value.isNull())) {
                // a section left empty ("server:" and comments) keeps its defaults
                merged.set(e.getKey(), value);
            }
        });
        return merged;
    }

    // ------------------------------------------------------------------ the records

    private static GatewayConfig bind(ObjectNode merged, boolean storeTypeChosen, ConfigSection.Origins origins,
                                      Map<String, String> env) {
        ConfigSection root = new ConfigSection(merged, "", origins);
        GatewayConfig.Server server = server(root.section("server"));
        GatewayConfig.Upstream upstream = upstream(root.section("upstream"));
        GatewayConfig.Engine engine = engine(root.section("engine"), env);
        GatewayConfig.Admin admin = admin(root.section("admin"), env);
        GatewayConfig.Demo demo = demo(root.section("demo"));
        Optional<GatewayConfig.Kubernetes> kubernetes = root.present("kubernetes")
                ? Optional.of(kubernetes(root.section("kubernetes"))) : Optional.empty();
        GatewayConfig.Store store = store(root.section("store"), storeTypeChosen, env);
        Map<String, Set<String>> users = users(root.raw("users"));
        GatewayConfig.Budgets budgets = budgets(root.section("budgets"));

        boolean demoServed = demo.enabled() && kubernetes.isEmpty();
        List<ModelRef> models = models(root.raw("models"), demoServed, env);
        Set<ModelReference> known = new LinkedHashSet<>();
        models.forEach(m -> known.add(new ModelReference(m.name(), m.namespace())));
        if (demoServed) {
            known.add(ModelReference.of(DemoModelServlet.NAME));
        }
        List<AuthPolicy> policies = list(root.raw("policies"), "policies",
                (node, path) -> CatalogDocuments.policy(node, path, known::contains), AuthPolicy::name);
        List<Subscription> subscriptions = list(root.raw("subscriptions"), "subscriptions",
                (node, path) -> CatalogDocuments.subscription(node, path, known::contains), Subscription::name);
        root.end();
        if (kubernetes.isPresent() && !(models.isEmpty() && policies.isEmpty() && subscriptions.isEmpty())) {
            // two sources of one catalog would disagree silently: refuse rather than merge
            throw new ConfigException("kubernetes: the catalog comes from the MaaS custom resources; remove "
                    + "models, subscriptions and policies from the configuration file");
        }
        return new GatewayConfig(server, upstream, engine, admin, demo, models, policies, subscriptions, users,
                budgets, kubernetes, store);
    }

    private static GatewayConfig.Server server(ConfigSection s) {
        GatewayConfig.Server server = new GatewayConfig.Server(s.text("host"), s.integer("port", 0, 65_535),
                s.number("maxBodyBytes", 1, Integer.MAX_VALUE - 8), s.flag("includeUsageInStreams"),
                s.integer("acceptQueueSize", 1, Integer.MAX_VALUE), s.duration("idleTimeout", POSITIVE),
                s.duration("bodyTimeout", POSITIVE), s.number("minBodyBytesPerSecond", 0, Long.MAX_VALUE),
                s.integer("maxConcurrentBodiesPerAddress", 0, Integer.MAX_VALUE),
                s.integer("maxConnectionsPerAddress", 0, Integer.MAX_VALUE),
                s.integer("maxAuthFailures", 1, 65_535), s.duration("authFailureWindow", Duration.ofSeconds(1)));
        s.end();
        return server;
    }

    private static GatewayConfig.Upstream upstream(ConfigSection s) {
        GatewayConfig.Upstream upstream = new GatewayConfig.Upstream(s.duration("connectTimeout", POSITIVE),
                s.duration("responseTimeout", POSITIVE), s.duration("idleTimeout", Duration.ZERO), s.flag("http2"),
                s.flag("identityHeaders"), s.duration("maxResponseDuration", Duration.ZERO),
                s.number("maxResponseBytes", 0, Long.MAX_VALUE));
        s.end();
        return upstream;
    }

    private static GatewayConfig.Engine engine(ConfigSection s, Map<String, String> env) {
        ReservationStrategy strategy = s.choice("reservationStrategy", ReservationStrategy.class);
        long maxOutput = s.number("defaultMaxOutputTokens", 1, Long.MAX_VALUE);
        long expectedOutput = s.number("expectedOutputTokens", 1, Long.MAX_VALUE);
        Optional<Secret> secret = s.secret("serverSecret", env);
        // the management API's ephemeral keys live an hour: the longest life cannot be shorter
        Optional<Duration> lifetime = s.optionalDuration("maxKeyLifetime", Duration.ofHours(1));
        boolean cut = s.flag("cutRevokedRequests");
        ConfigSection media = s.section("mediaTokens");
        GatewayConfig.MediaTokens mediaTokens = new GatewayConfig.MediaTokens(media.number("image", 0, Long.MAX_VALUE),
                media.number("audio", 0, Long.MAX_VALUE), media.number("file", 0, Long.MAX_VALUE));
        media.end();
        ConfigSection bound = s.section("usageBound");
        GatewayConfig.UsageBound usageBound = new GatewayConfig.UsageBound(
                bound.number("promptFactor", 1, Long.MAX_VALUE), bound.number("promptSlack", 0, Long.MAX_VALUE),
                bound.number("completionCeiling", 1, Long.MAX_VALUE));
        bound.end();
        s.end();
        return new GatewayConfig.Engine(strategy, maxOutput, expectedOutput, secret, lifetime, cut, mediaTokens,
                usageBound);
    }

    private static GatewayConfig.Admin admin(ConfigSection s, Map<String, String> env) {
        Optional<Secret> token = s.secret("token", env);
        String user = s.text("user");
        s.end();
        try {
            return new GatewayConfig.Admin(token, user);
        } catch (IllegalArgumentException e) {
            // the token rule's own message: it names the setting and never the token
            throw new ConfigException(e.getMessage());
        }
    }

    private static GatewayConfig.Demo demo(ConfigSection s) {
        GatewayConfig.Demo demo = new GatewayConfig.Demo(s.flag("enabled"), s.duration("tokenDelay", Duration.ZERO),
                s.flag("printKey"));
        s.end();
        return demo;
    }

    private static GatewayConfig.Kubernetes kubernetes(ConfigSection s) {
        List<String> namespaces = s.texts("namespaces");
        boolean all = s.flag("allNamespaces");
        Optional<Path> kubeconfig = s.optionalText("kubeconfig").map(p -> path(p, s.pathOf("kubeconfig")));
        Optional<String> context = s.optionalText("context");
        Duration resync = s.duration("resyncPeriod", Duration.ZERO);
        if (!resync.isZero() && resync.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(s.pathOf("resyncPeriod") + ": must be 0s (never) or 1s or more");
        }
        GatewayConfig.Kubernetes k = new GatewayConfig.Kubernetes(namespaces, all, kubeconfig, context, resync,
                s.flag("statusWriteBack"), s.flag("requireReadyPhase"));
        s.end();
        return k;
    }

    private static GatewayConfig.Store store(ConfigSection s, boolean typeChosen, Map<String, String> env) {
        GatewayConfig.StoreType type = s.choice("type", GatewayConfig.StoreType.class);
        Path dataDir = path(s.text("dataDir"), s.pathOf("dataDir"));
        Optional<String> url = s.optionalText("url");
        if (url.isPresent() && !url.get().startsWith("jdbc:")) {
            throw new ConfigException(s.pathOf("url") + (env.containsKey("MAAS_DB_URL") ? " (MAAS_DB_URL)" : "")
                    + ": must be a JDBC URL such as jdbc:postgresql://db:5432/maas");
        }
        if (!typeChosen && url.isPresent() && url.get().startsWith("jdbc:postgresql:")) {
            type = GatewayConfig.StoreType.POSTGRESQL;
        }
        if (type == GatewayConfig.StoreType.POSTGRESQL && url.isEmpty()) {
            throw new ConfigException(s.pathOf("url") + ": store.type postgresql needs a JDBC URL (store.url or "
                    + "MAAS_DB_URL)");
        }
        Optional<String> username = s.optionalText("username");
        Optional<Secret> password = s.secret("password", env);
        Optional<Duration> retention = s.optionalDuration("retention", Duration.ofHours(1));
        FailureMode failureMode = s.choice("failureMode", FailureMode.class);
        s.end();
        return new GatewayConfig.Store(type, dataDir, url, username, password, retention, failureMode);
    }

    private static Path path(String text, String setting) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new ConfigException(setting + ": \"" + text + "\" is not a file path (" + e.getReason() + ")");
        }
    }

    private static Map<String, Set<String>> users(JsonNode node) {
        Map<String, Set<String>> users = new LinkedHashMap<>();
        if (!node.isObject()) {
            throw new ConfigException("users: must be users and their groups (alice: [data-science, dev])");
        }
        node.fields().forEachRemaining(e -> {
            String path = "users." + e.getKey();
            if (!e.getValue().isArray()) {
                throw new ConfigException(path + ": must be a list of groups ([data-science, dev])");
            }
            Set<String> groups = new LinkedHashSet<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                JsonNode group = e.getValue().get(i);
                if (!group.isValueNode() || group.isNull() || group.asText().isBlank()) {
                    throw new ConfigException(path + "[" + i + "]: must be a group's name");
                }
                groups.add(group.asText());
            }
            users.put(e.getKey(), groups);
        });
        return users;
    }

    private static GatewayConfig.Budgets budgets(ConfigSection s) {
        Map<String, Budget> users = budgetMap(s.raw("users"), s.pathOf("users"));
        Map<String, Budget> groups = budgetMap(s.raw("groups"), s.pathOf("groups"));
        JsonNode defaultUser = s.raw("defaultUser");
        Optional<Budget> fallback = defaultUser.isNull() ? Optional.empty()
                : Optional.of(budget(defaultUser, s.pathOf("defaultUser")));
        s.end();
        return new GatewayConfig.Budgets(users, groups, fallback);
    }

    private static Map<String, Budget> budgetMap(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new ConfigException(path + ": must be names and their budgets (alice: {amount: \"25.00\", "
                    + "period: month})");
        }
        Map<String, Budget> budgets = new HashMap<>();
        node.fields().forEachRemaining(e -> budgets.put(e.getKey(), budget(e.getValue(), path + "." + e.getKey())));
        return budgets;
    }

    private static Budget budget(JsonNode node, String path) {
        try {
            return CatalogDocuments.budget(node, path);
        } catch (InvalidDocumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the catalog

    private static List<ModelRef> models(JsonNode node, boolean demoServed, Map<String, String> env) {
        List<ModelRef> models = list(node, "models", (document, path) -> CatalogDocuments.model(
                withCredential(document, path, env), path), ModelRef::name);
        for (int i = 0; i < models.size(); i++) {
            ModelRef m = models.get(i);
            boolean inProcess = demoServed && m.name().equals(DemoModelServlet.NAME);
            if (m.endpoints().isEmpty() && !inProcess) {
                throw new ConfigException("models[" + i + "].endpoints: model '" + m.name() + "' has no endpoint: "
                        + "give it its upstream's base URL (http://host:8000/v1)");
            }
        }
        return models;
    }

    /** The document with its {@code upstreamCredential} read from the environment if it is {@code ${VARIABLE}}. */
    private static JsonNode withCredential(JsonNode document, String path, Map<String, String> env) {
        JsonNode credential = document.path("upstreamCredential");
        if (!credential.isTextual()) {
            return document;
        }
        String value = ConfigSection.resolve(credential.asText(), path + ".upstreamCredential", env);
        if (value.equals(credential.asText())) {
            return document;
        }
        ObjectNode copy = ((ObjectNode) document).deepCopy();
        copy.put("upstreamCredential", value);
        return copy;
    }

    /** Reads one document. */
    private interface Reader<T> {
        T read(JsonNode document, String path);
    }

    /** The list at {@code section}, each document read by {@code reader}; two of one name are an error. */
    private static <T> List<T> list(JsonNode node, String section, Reader<T> reader,
                                    Function<T, String> name) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException(section + ": must be a list of documents (- name: ...)");
        }
        List<T> values = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = section + "[" + i + "]";
            T value;
            try {
                value = reader.read(node.get(i), path);
            } catch (InvalidDocumentException e) {
                throw new ConfigException(e.getMessage());
            }
            Integer before = seen.putIfAbsent(name.apply(value), i);
            if (before != null) {
                throw new ConfigException(path + ".name: '" + name.apply(value) + "' is " + section + "[" + before
                        + "]'s name too: names are unique");
            }
            values.add(value);
        }
        return List.copyOf(values);
    }
}
