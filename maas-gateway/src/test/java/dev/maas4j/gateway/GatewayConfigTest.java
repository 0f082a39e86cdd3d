package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Secret;
import dev.maas4j.api.Subscription;
import dev.maas4j.core.FailureMode;
import dev.maas4j.core.ReservationStrategy;
import dev.maas4j.core.usage.MediaEstimates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configuration: typed defaults stated once, the environment's overrides, a one-line error for
 * every kind of mistake, and a catalog read exactly as the management API reads it.
 */
class GatewayConfigTest {
    private static final String CATALOG = """
            models:
              - name: granite
                namespace: llm
                displayName: Granite 3 8B
                endpoints: [http://vllm-0:8000/v1, http://vllm-1:8000/v1]
                price: {promptPerMillion: "0.15", completionPerMillion: "0.60", currency: USD}
                upstreamModel: ibm-granite/granite-3-8b
                maxResponseDuration: 2h
                maxResponseBytes: 1048576
                metadata: {description: a small model}
            policies:
              - name: everyone
                namespace: llm
                subjects: {groups: [{name: "system:authenticated"}], users: [carol]}
                modelRefs: [{name: granite, namespace: llm}]
            subscriptions:
              - name: premium
                priority: 10
                owner: {groups: [{name: data-science}]}
                modelRefs:
                  - name: granite
                    namespace: llm
                    tokenRateLimits: [{limit: 1000000, window: 1h}]
                    requestRateLimits: [{limit: 60, window: 1m}]
                    billingRate: {perToken: "0.000002"}
                tokenMetadata: {organizationId: acme, costCenter: ai, labels: {env: prod}}
                budget: {amount: "100.00", period: month}
            """;

    private static GatewayConfig parse(String yaml) {
        return GatewayConfig.parse(yaml, Map.of());
    }

    private static String error(String yaml, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.parse(yaml, env));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    // ------------------------------------------------------------------ defaults

    @Test
    void theDefaultsAreTheDefaultsFileAndTheReadmeQuotesIt() throws Exception {
        GatewayConfig d = GatewayConfig.defaults();
        assertEquals(new GatewayConfig.Server("127.0.0.1", 8080, 10L << 20, true, 1024, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 1024, 32, 512, 20, Duration.ofMinutes(1)), d.server());
        assertEquals(new GatewayConfig.Upstream(Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofMinutes(5),
                false, false, Duration.ofMinutes(30), 256L << 20), d.upstream());
        assertEquals(new GatewayConfig.Engine(ReservationStrategy.EXPECTED, 4096, 512, Optional.empty(),
                Optional.empty(), true, new GatewayConfig.MediaTokens(1600, 1500, 4000),
                new GatewayConfig.UsageBound(4, 4096, 1_000_000)), d.engine());
        assertEquals(new GatewayConfig.Admin(Optional.empty(), "admin"), d.admin());
        assertEquals(new GatewayConfig.Demo(true, Duration.ofMillis(30), true), d.demo());
        assertEquals(List.of(), d.models());
        assertEquals(List.of(), d.policies());
        assertEquals(List.of(), d.subscriptions());
        assertEquals(Map.of(), d.users());
        assertEquals(new GatewayConfig.Budgets(Map.of(), Map.of(), Optional.empty()), d.budgets());
        assertEquals(Optional.empty(), d.kubernetes(), "no Kubernetes catalog unless asked for");
        assertEquals(new GatewayConfig.Store(GatewayConfig.StoreType.H2, Path.of("data"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), FailureMode.FAIL_CLOSED), d.store());

        MediaEstimates engines = MediaEstimates.DEFAULTS;
        assertEquals(new GatewayConfig.MediaTokens(engines.imageTokens(), engines.audioTokens(), engines.fileTokens()),
                d.engine().mediaTokens(), "the file states the engine's own defaults");

        String file;
        try (InputStream in = GatewayConfig.class.getResourceAsStream(GatewayConfig.DEFAULTS_RESOURCE)) {
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("```yaml\n" + file + "```"), "the README quotes " + GatewayConfig.DEFAULTS_RESOURCE
                + " as it is");
        // every setting is in the file: its Kubernetes section's too, once one is asked for
        GatewayConfig.Kubernetes k = parse("kubernetes:\n").kubernetes().orElseThrow();
        assertEquals(new GatewayConfig.Kubernetes(List.of(), false, Optional.empty(), Optional.empty(),
                Duration.ofMinutes(5), false, false), k);
        assertEquals(d, parse("server:\n# nothing set\nupstream: {}\n"), "an empty section keeps its defaults");
    }

    @Test
    void everyConfigurationInTheReadmeIsValid() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int samples = 0;
        for (String block : readme.split("```yaml\n")) {
            if (samples++ == 0) {
                continue; // the text before the first sample
            }
            String yaml = block.substring(0, block.indexOf("```"));
            GatewayConfig config = GatewayConfig.parse(yaml, Map.of("OPENAI_API_KEY", "sk-test-123"));
            assertTrue(config.server().port() >= 0, yaml);
        }
        assertTrue(samples > 5, "the README's samples were found: " + samples);
    }

    @Test
    void aFileSettingReplacesItsDefaultAndLeavesTheOthers() {
        GatewayConfig c = parse("engine: {mediaTokens: {image: 800}, reservationStrategy: worst_case}\n"
                + "store: {type: memory}\n");
        assertEquals(new GatewayConfig.MediaTokens(800, 1500, 4000), c.engine().mediaTokens());
        assertEquals(ReservationStrategy.WORST_CASE, c.engine().reservationStrategy(), "names in any case");
        assertEquals(GatewayConfig.StoreType.MEMORY, c.store().type());
    }

    // ------------------------------------------------------------------ environment

    @Test
    void eachEnvironmentVariableOverridesItsSetting() {
        String token = "4422168267348e66a46ec8edebad3474";
        Map<EnvironmentOverride, Case> cases = new HashMap<>();
        cases.put(EnvironmentOverride.MAAS_HOST, new Case("0.0.0.0", c -> c.server().host(), "0.0.0.0"));
        cases.put(EnvironmentOverride.MAAS_PORT, new Case("9100", c -> c.server().port(), 9100));
        cases.put(EnvironmentOverride.MAAS_MAX_BODY_BYTES, new Case("2048", c -> c.server().maxBodyBytes(), 2048L));
        cases.put(EnvironmentOverride.MAAS_DEMO, new Case("false", c -> c.demo().enabled(), false));
        cases.put(EnvironmentOverride.MAAS_ADMIN_TOKEN, new Case(token, c -> c.admin().token(),
                Optional.of(Secret.of(token))));
        cases.put(EnvironmentOverride.MAAS_SERVER_SECRET, new Case("hmac-secret", c -> c.engine().serverSecret(),
                Optional.of(Secret.of("hmac-secret"))));
        cases.put(EnvironmentOverride.MAAS_RESERVATION_STRATEGY, new Case("POST_PAID",
                c -> c.engine().reservationStrategy(), ReservationStrategy.POST_PAID));
        cases.put(EnvironmentOverride.MAAS_K8S_NAMESPACES, new Case("llm, models-as-a-service",
                c -> c.kubernetes().orElseThrow().namespaces(), List.of("llm", "models-as-a-service")));
        cases.put(EnvironmentOverride.MAAS_STORE, new Case("memory", c -> c.store().type(),
                GatewayConfig.StoreType.MEMORY));
        cases.put(EnvironmentOverride.MAAS_DATA_DIR, new Case("/var/lib/maas", c -> c.store().dataDir(),
                Path.of("/var/lib/maas")));
        cases.put(EnvironmentOverride.MAAS_DB_URL, new Case("jdbc:postgresql://db:5432/maas",
                c -> List.of(c.store().url(), c.store().type()),
                List.of(Optional.of("jdbc:postgresql://db:5432/maas"), GatewayConfig.StoreType.POSTGRESQL)));
        cases.put(EnvironmentOverride.MAAS_DB_USER, new Case("maas", c -> c.store().username(), Optional.of("maas")));
        cases.put(EnvironmentOverride.MAAS_DB_PASSWORD, new Case("pg-pass", c -> c.store().password(),
                Optional.of(Secret.of("pg-pass"))));
        assertEquals(EnumSet.allOf(EnvironmentOverride.class), cases.keySet(), "a case for every variable");

        String file = "server: {host: 10.0.0.1, port: 9000, maxBodyBytes: 1024}\ndemo: {enabled: true}\n"
                + "store: {dataDir: /tmp/x, username: other}\n";
        cases.forEach((variable, c) -> {
            GatewayConfig config = GatewayConfig.parse(file, Map.of(variable.variable(), c.value));
            assertEquals(c.expected, c.read.apply(config), variable + " sets " + variable.path());
        });
        assertEquals(9000, GatewayConfig.parse(file, Map.of()).server().port(), "the file without the variable");
        assertEquals(GatewayConfig.StoreType.H2, GatewayConfig.parse("store: {type: h2}",
                Map.of("MAAS_DB_URL", "jdbc:postgresql://db/maas")).store().type(), "a type set stays");
    }

    private record Case(String value, Function<GatewayConfig, Object> read, Object expected) {
    }

    @Test
    void secretsComeFromTheEnvironmentByNameAndAreNeverShown() {
        GatewayConfig c = GatewayConfig.parse("""
                engine: {serverSecret: "${HMAC}"}
                store: {password: "${PGPASS}"}
                models:
                  - {name: gpt-4o-mini, endpoints: ["https://api.openai.com/v1"], upstreamCredential: "${OPENAI_API_KEY}"}
                """, Map.of("HMAC", "hmac-from-env", "PGPASS", "pg-from-env", "OPENAI_API_KEY", "sk-openai-123"));
        assertEquals(Secret.of("hmac-from-env"), c.engine().serverSecret().orElseThrow());
        assertEquals(Secret.of("pg-from-env"), c.store().password().orElseThrow());
        assertEquals(Secret.of("sk-openai-123"), c.models().get(0).upstreamCredential().orElseThrow());
        for (String secret : List.of("hmac-from-env", "pg-from-env", "sk-openai-123")) {
            assertFalse(c.toString().contains(secret), "toString shows no secret");
        }
        assertEquals("models[0].upstreamCredential: ${OPENAI_API_KEY} is not set in the environment",
                error("models: [{name: g, endpoints: ['http://x/v1'], upstreamCredential: '${OPENAI_API_KEY}'}]",
                        Map.of()));
        String weak = error("", Map.of("MAAS_ADMIN_TOKEN", "aaaaaaaaaaaaaaaa"));
        assertTrue(weak.startsWith("admin.token (MAAS_ADMIN_TOKEN) is too short: "), weak);
        assertFalse(weak.contains("aaaaaaaaaaaaaaaa"), "never the token");
    }

    // ------------------------------------------------------------------ one-line errors

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            // a bad duration
            "upstream: {idleTimeout: 5x}||upstream.idleTimeout: \"5x\" is not a duration (e.g. 30s, 5m)",
            "server: {bodyTimeout: 0s}||server.bodyTimeout: \"0s\" is not a duration longer than 0 (e.g. 30s, 5m)",
            "server: {authFailureWindow: 10ms}||server.authFailureWindow: \"10ms\" is not a duration of 1s or more "
                    + "(e.g. 30s, 5m)",
            "store: {retention: 10m}||store.retention: \"10m\" is not a duration of 1h or more (e.g. 30s, 5m)",
            // a bad number
            "server: {port: abc}||server.port: \"abc\" is not a number from 0 to 65535",
            "server: {port: 70000}||server.port: 70000 is not a number from 0 to 65535",
            "server: {maxConnectionsPerAddress: -1}||server.maxConnectionsPerAddress: -1 is not a number, 0 or more",
            "upstream: {maxResponseBytes: 1.5}||upstream.maxResponseBytes: 1.5 is not a number, 0 or more",
            "{}|MAAS_PORT=abc|MAAS_PORT=abc: server.port must be a number from 0 to 65535",
            "{}|MAAS_MAX_BODY_BYTES=0|MAAS_MAX_BODY_BYTES=0: server.maxBodyBytes must be a number from 1 to 2147483639",
            "{}|MAAS_DEMO=no|MAAS_DEMO=no: demo.enabled must be true or false",
            // an unknown enum
            "engine: {reservationStrategy: FASTEST}||engine.reservationStrategy: \"FASTEST\" is not one of "
                    + "WORST_CASE, EXPECTED, POST_PAID",
            "{}|MAAS_STORE=mongodb|MAAS_STORE=mongodb: store.type must be one of h2, postgresql, memory",
            "store: {failureMode: RETRY}||store.failureMode: \"RETRY\" is not one of FAIL_CLOSED, FAIL_OPEN",
            // an unknown field
            "server: {prot: 9000}||server.prot: unknown setting; server has host, port, maxBodyBytes, "
                    + "includeUsageInStreams, acceptQueueSize, idleTimeout, bodyTimeout, minBodyBytesPerSecond, "
                    + "maxConcurrentBodiesPerAddress, maxConnectionsPerAddress, maxAuthFailures, authFailureWindow",
            "serve: {port: 9000}||serve: unknown setting; the sections are server, upstream, engine, admin, demo, "
                    + "kubernetes, store, users, budgets, identity, models, policies, subscriptions",
            "engine: {usageBound: {promptFactr: 2}}||engine.usageBound.promptFactr: unknown setting; "
                    + "engine.usageBound has promptFactor, promptSlack, completionCeiling",
            "models: [{name: g, endpoints: ['http://x/v1'], price: {prompt: '1', completion: '2'}}]||"
                    + "models[0].price.prompt: unknown field",
            "policies: [{name: p, subjects: {groups: [{name: dev}]}, models: [g]}]||policies[0].models: unknown field",
            // a section of the wrong shape
            "server: 8080||server: 8080 is not a section of settings",
            "models: {name: g}||models: must be a list of documents (- name: ...)",
            // a URL
            "models: [{name: g, endpoints: ['vllm:8000']}]||models[0].endpoints[0] must be an absolute http or https URL",
            "store: {url: 'postgres://db/maas'}||store.url: must be a JDBC URL such as jdbc:postgresql://db:5432/maas",
            "{}|MAAS_STORE=postgresql|store.url: store.type postgresql needs a JDBC URL (store.url or MAAS_DB_URL)",
            // the identity section
            "identity: {oidc: [{audience: maas-api}]}||identity.oidc[0].issuer: is required (e.g. "
                    + "https://keycloak.example.com/realms/maas)",
            "identity: {oidc: [{issuer: 'keycloak/realms/maas'}]}||identity.oidc[0].issuer: issuer must be an http(s) "
                    + "URL without query, was 'keycloak/realms/maas'",
            "identity: {oidc: [{issuer: 'https://kc/realms/a', clockSkew: 1h}]}||identity.oidc[0].issuer: clockSkew "
                    + "must be from 0s to 5m, was PT1H",
            "identity: {oidc: [{issuer: 'https://kc/realms/a', groupClaim: roles}]}||identity.oidc[0].groupClaim: "
                    + "unknown setting; identity.oidc[0] has issuer, audience, userClaim, groupsClaim, groupPrefix, clockSkew",
            "identity: {oidc: [{issuer: 'https://kc/realms/a'}, {issuer: 'https://kc/realms/a'}]}||"
                    + "identity.oidc[1].issuer: https://kc/realms/a is configured twice",
            "identity: {trustedHeaders: {userHeader: X-User}}||identity.trustedHeaders.trustedProxies: must name the "
                    + "proxy's addresses (e.g. [10.0.0.0/8]): headers from anyone else are never believed",
            "identity: {trustedHeaders: {trustedProxies: [proxy.local]}}||identity.trustedHeaders.trustedProxies[0]: "
                    + "trusted proxy must be an IP address or CIDR block, was 'proxy.local'",
            "identity: {tokens: [{token: secret-token-0123456789, user: ci}]}||identity.tokens[0].token: unknown "
                    + "setting; identity.tokens[0] has sha256, user, groups",
            "identity: {tokens: [{sha256: abc, user: ci}]}||identity.tokens[0].sha256: must be 64 hexadecimal digits, "
                    + "the token's SHA-256 as sha256sum prints it",
            "identity: {roles: {admins: [ops]}}||identity.roles.admins: unknown setting; identity.roles has admin, "
                    + "adminReadonly",
            // YAML itself
            "'server: {port: 8080'||configuration, line 1, column 20: expected ',' or '}', but got <stream end>",
            "'server: {port: 1, port: 2}'||configuration, line 1, column 23: Duplicate field 'port'",
            "'- server'||configuration: the configuration must be sections of settings (server:, models:, ...), not "
                    + "a single value or a list",
    })
    void aMistakeIsOneLineNamingTheSettingAndTheProblem(String yaml, String variable, String message) {
        Map<String, String> env = variable == null ? Map.of()
                : Map.of(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
        assertEquals(message, error(yaml, env));
    }

    @Test
    void theIdentitySectionBindsWithEachIssuersDefaults() {
        String hash = "a".repeat(64);
        GatewayConfig.Identity identity = GatewayConfig.parse("""
                identity:
                  oidc:
                    - issuer: https://keycloak.example.com/realms/maas
                      audience: maas-api
                    - {issuer: "https://keycloak.example.com/realms/partners", groupsClaim: realm_access.roles,
                       groupPrefix: "partners:", userClaim: email, clockSkew: 30s}
                  trustedHeaders: {trustedProxies: [10.0.0.0/8]}
                  tokens: [{sha256: "%s", user: ci-bot, groups: [ci]}]
                  roles: {admin: [maas-admins], adminReadonly: [auditors]}
                """.formatted(hash.toUpperCase(java.util.Locale.ROOT)), Map.of()).identity();
        assertEquals(List.of(
                new GatewayConfig.Oidc("https://keycloak.example.com/realms/maas", Optional.of("maas-api"),
                        "preferred_username", "groups", "", Duration.ofSeconds(60)),
                new GatewayConfig.Oidc("https://keycloak.example.com/realms/partners", Optional.empty(), "email",
                        "realm_access.roles", "partners:", Duration.ofSeconds(30))), identity.oidc());
        assertEquals(Optional.of(new GatewayConfig.TrustedHeaders("X-Forwarded-User", "X-Forwarded-Groups",
                List.of("10.0.0.0/8"))), identity.trustedHeaders());
        assertEquals(List.of(new GatewayConfig.StaticToken(hash, "ci-bot", Set.of("ci"))), identity.tokens());
        assertEquals(new dev.maas4j.management.RoleMapping(Set.of("maas-admins"), Set.of("auditors")),
                identity.roles());

        GatewayConfig.Identity none = GatewayConfig.defaults().identity();
        assertEquals(List.of(), none.oidc());
        assertEquals(Optional.empty(), none.trustedHeaders(), "no proxy is trusted unless configured");
        assertEquals(dev.maas4j.management.RoleMapping.none(), none.roles());
    }

    @Test
    void referencesBetweenCatalogEntriesAreCheckedAtLoad() {
        String granite = "models: [{name: granite, endpoints: ['http://vllm:8000/v1']}]\n";
        assertEquals("policies[0].modelRefs[0].name: no model named 'llama' in namespace 'default'",
                error(granite + "policies: [{name: p, subjects: {groups: [{name: dev}]}, modelRefs: [{name: llama}]}]",
                        Map.of()));
        assertEquals("subscriptions[0].modelRefs[0].name: no model named 'granite' in namespace 'llm'",
                error(granite + "subscriptions: [{name: s, owner: {users: [alice]}, modelRefs: [{name: granite, "
                        + "namespace: llm, tokenRateLimits: [{limit: 10, window: 1m}]}]}]", Map.of()));
        assertEquals("models[0].endpoints: model 'granite' has no endpoint: give it its upstream's base URL "
                + "(http://host:8000/v1)", error("models: [{name: granite}]", Map.of()));
        assertEquals("models[1].name: 'granite' is models[0]'s name too: names are unique",
                error("models: [{name: granite, endpoints: ['http://a/v1']}, {name: granite, namespace: other, "
                        + "endpoints: ['http://b/v1']}]", Map.of()));
        assertEquals("kubernetes: the catalog comes from the MaaS custom resources; remove models, subscriptions and "
                + "policies from the configuration file", error(granite, Map.of("MAAS_K8S_NAMESPACES", "llm")));

        // the demo model is served in the gateway: it needs no endpoint, and the file may refer to it
        GatewayConfig demo = parse("subscriptions: [{name: flood, owner: {groups: [{name: dev}]}, modelRefs: "
                + "[{name: demo-echo, tokenRateLimits: [{limit: 10, window: 1m}]}]}]");
        assertEquals("demo-echo", demo.subscriptions().get(0).modelRefs().get(0).name());
        assertEquals("subscriptions[0].modelRefs[0].name: no model named 'demo-echo' in namespace 'default'",
                error("demo: {enabled: false}\nsubscriptions: [{name: flood, owner: {groups: [{name: dev}]}, "
                        + "modelRefs: [{name: demo-echo, tokenRateLimits: [{limit: 10, window: 1m}]}]}]", Map.of()));
    }

    @Test
    void aFileThatCannotBeReadIsOneLineToo(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(Optional.of(missing), Map.of()));
        assertEquals(missing + ": no such file", e.getMessage());
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "server:\n  port: 8080\n   host: x\n");
        e = assertThrows(ConfigException.class, () -> GatewayConfig.load(Optional.empty(),
                Map.of("MAAS_CONFIG", file.toString())));
        assertTrue(e.getMessage().startsWith(file + ", line 3, column "), e.getMessage());
        Files.writeString(file, "server: {port: 0}\n");
        assertEquals(0, GatewayConfig.load(Optional.empty(), Map.of("MAAS_CONFIG", file.toString())).server().port());
    }

    @Test
    void mainPrintsOneLineAndExitsWithTwo() throws Exception {
        // the environment is inherited, with the one mistake added
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Gateway.class.getName());
        builder.environment().keySet().removeIf(name -> name.startsWith("MAAS_"));
        builder.environment().put("MAAS_PORT", "abc");
        builder.environment().put("MAAS_STORE", "memory");
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process bad = builder.start();
        String stderr = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue(), stderr);
        assertEquals("maas4j gateway: MAAS_PORT=abc: server.port must be a number from 0 to 65535\n", stderr);
    }

    // ------------------------------------------------------------------ one vocabulary

    @Test
    void theFilesCatalogIsTheManagementApisValuesForTheSameDocuments() throws Exception {
        GatewayConfig fromFile = parse(CATALOG + "demo: {enabled: false}\n");
        JsonNode documents = new YAMLMapper().readTree(CATALOG);
        try (Gateway gateway = Gateway.start(GatewayConfig.parse("demo: {enabled: false}",
                Map.of("MAAS_PORT", "0", "MAAS_STORE", "memory")), new PrintStream(OutputStream.nullOutputStream()))) {
            HttpClient http = HttpClient.newHttpClient();
            for (String kind : List.of("models", "policies", "subscriptions")) {
                for (JsonNode document : documents.get(kind)) {
                    HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                                    URI.create(gateway.baseUri() + "/maas-api/v1/" + kind))
                            .header("Authorization", "Bearer " + gateway.adminToken().reveal())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(document)))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(201, created.statusCode(), created.body());
                }
            }
            var catalog = gateway.engine().catalog();
            ModelRef model = catalog.findModel("granite").orElseThrow();
            AuthPolicy policy = catalog.findPolicy("everyone").orElseThrow();
            Subscription subscription = catalog.findSubscription("premium").orElseThrow();
            assertEquals(List.of(model), fromFile.models());
            assertEquals(List.of(policy), fromFile.policies());
            assertEquals(List.of(subscription), fromFile.subscriptions());
            assertEquals("ibm-granite/granite-3-8b", model.upstreamModel());
            assertEquals(Set.of("carol"), policy.subjects().users());
        }
    }
}
