package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.testing.FakeOpenAiUpstream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.maas4j.testing.TestData.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runnable gateway on loopback: defaults, the demo model, a configured upstream. */
class GatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private static GatewayConfig onFreePort(String yaml) {
        // a fresh store for each gateway (GatewayStoreTest covers the persistent default)
        return GatewayConfig.parse(yaml, Map.of("MAAS_PORT", "0", "MAAS_STORE", "memory"));
    }

    @Test
    void anAdminCreatesAKeyOnTheManagementApiAndTheKeyCallsTheDemoModel() throws Exception {
        try (Gateway gateway = Gateway.start(onFreePort("{}"), new PrintStream(OutputStream.nullOutputStream()))) {
            URI keys = gateway.baseUri().resolve("/maas-api/v1/api-keys");
            String admin = gateway.adminToken().reveal();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(keys)
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"laptop\",\"expiresIn\":\"30d\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String key = JSON.readTree(created.body()).path("key").asText();
            assertTrue(key.startsWith("sk-oai-"), created.body());

            String chat = "{\"model\":\"demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertEquals(200, post(gateway.baseUri(), key, chat).statusCode());

            HttpResponse<String> withApiKey = http.send(HttpRequest.newBuilder(keys)
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, withApiKey.statusCode(), "an API key is never accepted on the management API");
        }
    }

    @Test
    void theDemoModelAnswersLikeOpenAIStreamedAndNotAndItsUsageIsRecorded() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Gateway gateway = Gateway.start(onFreePort("{}"), new PrintStream(console, true, StandardCharsets.UTF_8))) {
            String printed = console.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("BOOTSTRAP ADMIN TOKEN"), printed);
            String key = gateway.demoKey().orElseThrow().reveal();
            assertTrue(printed.contains(key));

            HttpResponse<String> models = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/v1/models"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("demo-echo", JSON.readTree(models.body()).path("data").get(0).path("id").asText());

            String chat = "{\"model\":\"demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, gateway!\"}]}";
            JsonNode completion = JSON.readTree(post(gateway.baseUri(), key, chat).body());
            for (String field : List.of("id", "object", "created", "model", "choices", "usage")) {
                assertFalse(completion.path(field).isMissingNode(), field);
            }
            assertEquals("chat.completion", completion.path("object").asText());
            assertEquals("You said: Hello, gateway!", completion.path("choices").get(0).path("message")
                    .path("content").asText());
            long completionTokens = completion.path("usage").path("completion_tokens").asLong();
            assertTrue(completionTokens > 0);

            String streamed = post(gateway.baseUri(), key, chat.replace("{\"model\"", "{\"stream\":true,\"model\""))
                    .body();
            assertTrue(streamed.startsWith("data: {"), streamed);
            assertTrue(streamed.endsWith("data: [DONE]\n\n"), streamed);
            StringBuilder text = new StringBuilder();
            for (String event : streamed.split("\n\n")) {
                JsonNode chunk = event.equals("data: [DONE]") ? null : JSON.readTree(event.substring(6));
                if (chunk != null && chunk.path("choices").size() > 0) {
                    assertEquals("chat.completion.chunk", chunk.path("object").asText());
                    text.append(chunk.path("choices").get(0).path("delta").path("content").asText(""));
                }
            }
            assertEquals("You said: Hello, gateway!", text.toString());

            awaitTotalTokens(gateway, 2 * (completionTokens + completion.path("usage").path("prompt_tokens").asLong()));
            List<UsageEvent> events = new ArrayList<>();
            gateway.store().forEach(UsageQuery.between(Instant.EPOCH, Instant.now().plusSeconds(60)), events::add);
            assertEquals(2, events.size());
            for (UsageEvent event : events) {
                assertFalse(event.estimated(), "the demo reports its usage, streamed too");
                assertEquals(completionTokens, event.completionTokens());
            }
        }
    }

    @Test
    void aConfiguredModelIsProxiedToItsUpstreamWithItsPolicyAndSubscription() throws Exception {
        FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
        String yaml = """
                demo: {enabled: false}
                models:
                  - name: granite
                    endpoints: [http://127.0.0.1:%d/v1]
                    price: {promptPerMillion: "1", completionPerMillion: "2"}
                policies:
                  - {name: dev, subjects: {groups: [{name: dev}]}, modelRefs: [{name: granite}]}
                subscriptions:
                  - name: dev-plan
                    owner: {groups: [{name: dev}]}
                    modelRefs: [{name: granite, tokenRateLimits: [{limit: 1000, window: 1m}]}]
                users:
                  alice: [dev]
                """.formatted(upstream.port());
        try (Gateway gateway = Gateway.start(onFreePort(yaml), new PrintStream(OutputStream.nullOutputStream()))) {
            assertTrue(gateway.demoKey().isEmpty());
            String key = gateway.engine().createKey(dev.maas4j.core.KeyRequest.builder(
                    dev.maas4j.api.Subject.user("alice"), "k").build()).secret().reveal();
            HttpResponse<String> response = post(gateway.baseUri(), key,
                    "{\"model\":\"granite\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("1000", response.headers().firstValue("x-ratelimit-limit-tokens").orElse(null));
            long tokens = FakeOpenAiUpstream.PROMPT_TOKENS + FakeOpenAiUpstream.COMPLETION_TOKENS;
            assertEquals(tokens, awaitTotalTokens(gateway, tokens));
            assertEquals("/v1/chat/completions", upstream.last().path());
        } finally {
            upstream.close();
        }
    }

    @Test
    void aWeakConfiguredAdminTokenStopsTheStartWithOneLineNamingTheSetting() throws Exception {
        Map<String, Map<String, String>> weak = Map.of(
                "aaaaaaaaaaaaaaaa", Map.of("MAAS_ADMIN_TOKEN", "aaaaaaaaaaaaaaaa"),
                "password12345678password12345678", Map.of());
        for (Map.Entry<String, Map<String, String>> token : weak.entrySet()) {
            String yaml = token.getValue().isEmpty() ? "admin: {token: " + token.getKey() + "}\n" : "{}";
            // refused as the configuration is read, before anything is opened
            ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.parse(yaml, token.getValue()));
            assertTrue(e.getMessage().startsWith("admin.token (MAAS_ADMIN_TOKEN) is too "), e.getMessage());
            assertTrue(e.getMessage().contains("openssl rand -hex 32"), e.getMessage());
            assertFalse(e.getMessage().contains(token.getKey()), "never the token itself");
        }
        String strong = "4422168267348e66a46ec8edebad3474";
        try (Gateway gateway = Gateway.start(GatewayConfig.parse("{}", Map.of("MAAS_PORT", "0", "MAAS_STORE", "memory",
                "MAAS_ADMIN_TOKEN", strong)), new PrintStream(OutputStream.nullOutputStream()))) {
            assertEquals(strong, gateway.adminToken().reveal());
        }
    }

    @Test
    void noAnswerNamesTheServerOrItsVersion() throws Exception {
        try (Gateway gateway = Gateway.start(onFreePort("{}"), new PrintStream(OutputStream.nullOutputStream()))) {
            URI base = gateway.baseUri();
            String key = gateway.demoKey().orElseThrow().reveal();
            String chat = "{\"model\":\"demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
            answers.put("governed 200", post(base, key, chat));
            answers.put("governed 401", post(base, "sk-oai-wrong", chat));
            answers.put("management 200", http.send(HttpRequest.newBuilder(base.resolve("/maas-api/v1/api-keys"))
                    .header("Authorization", "Bearer " + gateway.adminToken().reveal()).build(),
                    HttpResponse.BodyHandlers.ofString()));
            answers.put("management 401", http.send(HttpRequest.newBuilder(base.resolve("/maas-api/v1/api-keys"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
            // Jetty redirects the context's bare path to /healthz/
            answers.put("healthz redirect", http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            answers.put("healthz", http.send(HttpRequest.newBuilder(base.resolve("/healthz/")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertEquals(List.of(200, 401, 200, 401, 301, 200),
                    answers.values().stream().map(HttpResponse::statusCode).toList(), answers.keySet().toString());
            answers.forEach((what, answer) -> {
                assertTrue(answer.headers().firstValue("server").isEmpty(), what + ": " + answer.headers());
                assertTrue(answer.headers().firstValue("x-powered-by").isEmpty(), what + ": " + answer.headers());
            });

            // a request Jetty refuses itself, before any servlet: its own error page names nothing either
            try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(raw.startsWith("HTTP/1.1 400 "), raw);
                assertFalse(raw.toLowerCase(java.util.Locale.ROOT).contains("\r\nserver:"), raw);
                assertFalse(raw.toLowerCase(java.util.Locale.ROOT).contains("jetty"), raw);
            }
        }
    }

    @Test
    void environmentOverridesTheFileAndTyposAreErrors() {
        String token = "4422168267348e66a46ec8edebad3474";
        GatewayConfig config = GatewayConfig.parse("server: {port: 9000, host: 0.0.0.0}\n",
                Map.of("MAAS_PORT", "9100", "MAAS_DEMO", "false", "MAAS_ADMIN_TOKEN", token));
        assertEquals(9100, config.server().port());
        assertEquals("0.0.0.0", config.server().host());
        assertFalse(config.demo().enabled());
        assertFalse(config.toString().contains(token), "the admin token is redacted");
        assertThrows(ConfigException.class, () -> GatewayConfig.parse("server: {prot: 9000}\n", Map.of()));
    }

    /** Settlement follows the response's last byte by a moment: wait for it, bounded. */
    private static long awaitTotalTokens(Gateway gateway, long expected) {
        return eventually(expected + " tokens settled").until(() -> {
            gateway.engine().usage().flush(Duration.ofSeconds(5));
            return gateway.store().totals(UsageQuery.between(Instant.EPOCH, Instant.now().plusSeconds(60)))
                    .totalTokens();
        }, total -> total >= expected);
    }

    private HttpResponse<String> post(URI base, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
