package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.api.Budget;
import dev.maas4j.api.Secret;
import dev.maas4j.core.FailureMode;
import dev.maas4j.core.ReservationStrategy;
import dev.maas4j.management.CatalogDocuments;
import dev.maas4j.management.CatalogDocuments.InvalidDocumentException;
import dev.maas4j.management.BearerTokenResolver;
import dev.maas4j.management.Caller;
import dev.maas4j.management.RoleMapping;
import dev.maas4j.management.TrustedHeaderResolver;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Each section of settings read into its {@link GatewayConfig} record: the bounds of every
 * setting and the checks between the settings of one section (a PostgreSQL store needs a URL, a
 * resync period is zero or a second at least). Each method reads its section whole and ends it, so
 * an unknown setting is refused there. Stateless.
 */
final class ConfigRecords {
    /** Positive: "longer than zero" for {@link ConfigSection#duration}. */
    private static final Duration POSITIVE = Duration.ofNanos(1);

    private ConfigRecords() {
    }

    static GatewayConfig.Server server(ConfigSection s) {
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

    static GatewayConfig.Upstream upstream(ConfigSection s) {
        GatewayConfig.Upstream upstream = new GatewayConfig.Upstream(s.duration("connectTimeout", POSITIVE),
                s.duration("responseTimeout", POSITIVE), s.duration("idleTimeout", Duration.ZERO), s.flag("http2"),
                s.flag("identityHeaders"), s.duration("maxResponseDuration", Duration.ZERO),
                s.number("maxResponseBytes", 0, Long.MAX_VALUE));
        s.end();
        return upstream;
    }

    static GatewayConfig.Engine engine(ConfigSection s, Map<String, String> env) {
        ReservationStrategy strategy = s.choice("reservationStrategy", ReservationStrategy.class);
        long maxOutput = s.number("defaultMaxOutputTokens", 1, Long.MAX_VALUE);
        long expectedOutput = s.number("expectedOutputTokens", 1, Long.MAX_VALUE);
        Optional<Secret> secret = s.secret("serverSecret", env);
        // the management API's ephemeral keys live an hour: the longest life cannot be shorter
        Optional<Duration> lifetime = s.optionalDuration("maxKeyLifetime", Duration.ofHours(1));
        boolean cut = s.flag("cutRevokedRequests");
        int maxKeys = s.integer("maxActiveKeysPerSubscription", 0, Integer.MAX_VALUE);
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
                usageBound, maxKeys);
    }

    static GatewayConfig.Admin admin(ConfigSection s, Map<String, String> env) {
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

    static GatewayConfig.Demo demo(ConfigSection s) {
        GatewayConfig.Demo demo = new GatewayConfig.Demo(s.flag("enabled"), s.duration("tokenDelay", Duration.ZERO),
                s.flag("printKey"));
        s.end();
        return demo;
    }

    static GatewayConfig.Kubernetes kubernetes(ConfigSection s) {
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

    /** @param typeChosen whether the file or MAAS_STORE chose the type; if not, a PostgreSQL URL chooses it */
    static GatewayConfig.Store store(ConfigSection s, boolean typeChosen, Map<String, String> env) {
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

    /** The {@code users:} section: each user's groups. */
    static Map<String, Set<String>> users(JsonNode node) {
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

    static GatewayConfig.Budgets budgets(ConfigSection s) {
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

    /** The settings of one {@code identity.oidc[]} entry and their defaults (list entries do not merge with defaults.yaml). */
    private static final ObjectNode OIDC_DEFAULTS = JsonNodeFactory.instance.objectNode()
            .putNull("issuer").putNull("audience").put("userClaim", "preferred_username").put("groupsClaim", "groups")
            .put("groupPrefix", "").put("clockSkew", "60s");
    /** The settings of {@code identity.trustedHeaders} and their defaults, once the section is written. */
    private static final ObjectNode TRUSTED_HEADERS_DEFAULTS = JsonNodeFactory.instance.objectNode()
            .put("userHeader", "X-Forwarded-User").put("groupsHeader", "X-Forwarded-Groups")
            .set("trustedProxies", JsonNodeFactory.instance.arrayNode());
    /** The settings of one {@code identity.tokens[]} entry and their defaults. */
    private static final ObjectNode TOKEN_DEFAULTS = JsonNodeFactory.instance.objectNode()
            .putNull("sha256").putNull("user").set("groups", JsonNodeFactory.instance.arrayNode());

    static GatewayConfig.Identity identity(ConfigSection s) {
        List<GatewayConfig.Oidc> oidc = new ArrayList<>();
        Set<String> issuers = new HashSet<>();
        for (ConfigSection entry : s.sections("oidc", OIDC_DEFAULTS)) {
            GatewayConfig.Oidc issuer = oidc(entry);
            if (!issuers.add(issuer.issuer())) {
                throw new ConfigException(entry.pathOf("issuer") + ": " + issuer.issuer() + " is configured twice");
            }
            oidc.add(issuer);
        }
        Optional<GatewayConfig.TrustedHeaders> headers = s.optionalSection("trustedHeaders", TRUSTED_HEADERS_DEFAULTS)
                .map(ConfigRecords::trustedHeaders);
        List<GatewayConfig.StaticToken> tokens = new ArrayList<>();
        BearerTokenResolver.Builder duplicates = BearerTokenResolver.builder();
        for (ConfigSection entry : s.sections("tokens", TOKEN_DEFAULTS)) {
            GatewayConfig.StaticToken token = token(entry);
            try {
                duplicates.addHashedToken(token.sha256(), Caller.user(token.user()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(entry.pathOf("sha256") + ": this token is declared twice");
            }
            tokens.add(token);
        }
        ConfigSection roles = s.section("roles");
        RoleMapping mapping = new RoleMapping(new LinkedHashSet<>(roles.texts("admin")),
                new LinkedHashSet<>(roles.texts("adminReadonly")));
        roles.end();
        s.end();
        return new GatewayConfig.Identity(oidc, headers, tokens, mapping);
    }

    private static GatewayConfig.Oidc oidc(ConfigSection s) {
        Optional<String> given = s.optionalText("issuer");
        Optional<String> audience = s.optionalText("audience");
        String userClaim = s.text("userClaim");
        String groupsClaim = s.text("groupsClaim");
        String prefix = groupPrefix(s);
        Duration skew = s.duration("clockSkew", Duration.ZERO);
        s.end();
        String issuer = given.orElseThrow(() -> new ConfigException(s.pathOf("issuer")
                + ": is required (e.g. https://keycloak.example.com/realms/maas)"));
        GatewayConfig.Oidc oidc = new GatewayConfig.Oidc(issuer.strip(), audience, userClaim, groupsClaim, prefix, skew);
        // the resolver's own rules (an http(s) URL, the skew's range), checked now rather than at the first login
        validated(s, "issuer", () -> IdentitySources.oidc(oidc, RoleMapping.none(), dev.maas4j.api.TimeSource.system()));
        return oidc;
    }

    private static String groupPrefix(ConfigSection s) {
        JsonNode value = s.raw("groupPrefix");
        if (value.isNull()) {
            return "";
        }
        if (!value.isTextual() || value.asText().chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException(s.pathOf("groupPrefix") + ": must be text without spaces (e.g. \"oidc:\")");
        }
        return value.asText();
    }

    private static GatewayConfig.TrustedHeaders trustedHeaders(ConfigSection s) {
        GatewayConfig.TrustedHeaders headers = new GatewayConfig.TrustedHeaders(s.text("userHeader"),
                s.text("groupsHeader"), s.texts("trustedProxies"));
        s.end();
        if (headers.trustedProxies().isEmpty()) {
            throw new ConfigException(s.pathOf("trustedProxies")
                    + ": must name the proxy's addresses (e.g. [10.0.0.0/8]): headers from anyone else are never believed");
        }
        for (int i = 0; i < headers.trustedProxies().size(); i++) {
            String proxy = headers.trustedProxies().get(i);
            validated(s, "trustedProxies[" + i + "]", () -> TrustedHeaderResolver.builder().trustProxy(proxy));
        }
        return headers;
    }

    private static GatewayConfig.StaticToken token(ConfigSection s) {
        Optional<String> sha256 = s.optionalText("sha256");
        Optional<String> name = s.optionalText("user");
        List<String> groups = s.texts("groups");
        s.end();
        String hash = sha256.orElseThrow(() -> new ConfigException(s.pathOf("sha256")
                + ": is required: the token's SHA-256 as sha256sum prints it; plain tokens are never configured"));
        if (!hash.strip().matches("[0-9a-fA-F]{64}")) {
            throw new ConfigException(s.pathOf("sha256")
                    + ": must be 64 hexadecimal digits, the token's SHA-256 as sha256sum prints it");
        }
        String user = name.orElseThrow(() -> new ConfigException(s.pathOf("user") + ": is required"));
        return new GatewayConfig.StaticToken(hash.strip().toLowerCase(Locale.ROOT), user.strip(),
                new LinkedHashSet<>(groups));
    }

    /** Runs a builder's check of {@code key}: its message, prefixed with the setting's path. */
    private static void validated(ConfigSection s, String key, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException(s.pathOf(key) + ": " + e.getMessage());
        }
    }
}
