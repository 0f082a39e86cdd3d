package dev.maas4j.client;

import dev.maas4j.testing.FakeOpenAiUpstream;
import dev.maas4j.client.admin.CreateApiKeyRequest;
import dev.maas4j.client.admin.CreatedApiKey;
import dev.maas4j.client.admin.MaasAdminClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.maas4j.client.Fixtures.bodyJson;
import static dev.maas4j.client.Fixtures.fixture;
import static dev.maas4j.testing.FakeOpenAiUpstream.json;
import static dev.maas4j.testing.FakeOpenAiUpstream.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's examples, as written there, against fixtures. */
class ReadmeExamplesTest {

    private final FakeOpenAiUpstream server = FakeOpenAiUpstream.start();
    private final StringBuilder out = new StringBuilder();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theReadmeExamplesWork() {
        server.on("POST", "/llm/granite-3-8b/v1/chat/completions", (request, exchange, attempt) -> {
            if (bodyJson(request).path("stream").asBoolean()) {
                sse(fixture("chat-stream.sse")).handle(request, exchange, attempt);
            } else if (attempt <= 2) {
                json(200, fixture("chat-completion.json")).handle(request, exchange, attempt);
            } else {
                json(429, fixture("error-429.json"), "retry-after", "0").handle(request, exchange, attempt);
            }
        });
        server.on("POST", "/maas-api/v1/api-keys", json(201, fixture("admin/api-key-created.json")));
        Map<String, String> secrets = new HashMap<>();

        // A chat call
        MaasClient client = MaasClient.builder()
                .baseUrl(server.root() + "/llm/granite-3-8b/v1")
                .apiKey("sk-oai-readme_key").build();
        ChatCompletion c = client.chat().create(ChatCompletionRequest.of("granite-3-8b", "What is a token bucket?"));
        out.append(c.text().orElse(""));

        // A streamed call
        var request = ChatCompletionRequest.builder().model("granite-3-8b").addUserMessage("Tell a story")
                .streamOptions(StreamOptions.INCLUDE_USAGE).build();
        try (ChatCompletionStream stream = client.chat().stream(request)) {
            for (ChatCompletionChunk chunk : stream) chunk.text().ifPresent(out::append);
            stream.usage().ifPresent(u -> out.append("|").append(u.totalTokens()));
        }

        // Handling 429 (the third model call is limited; retries are not waited for with retry-after: 0)
        Duration waited = null;
        try {
            client.chat().create(request);
        } catch (RateLimitException e) {
            Duration wait = e.retryAfter().orElse(Duration.ofSeconds(1));
            waited = wait;
        }

        // Creating a key with the admin client
        MaasAdminClient admin = MaasAdminClient.builder().baseUrl(server.root())
                .token("management-token").build();
        CreatedApiKey key = admin.apiKeys().create(CreateApiKeyRequest.builder("ci-pipeline")
                .subscription("premium-subscription").expiresIn(Duration.ofDays(30)).build());
        secrets.put(key.id(), key.key());

        assertEquals("Hello! How can I assist you today?Hello there!|12", out.toString());
        assertEquals(Duration.ZERO, waited);
        assertEquals("sk-oai-Ab3xK9_5f1d0c2e9a8b7c6d5e4f3a2b1c0d9e8f", secrets.get("Ab3xK9"));
    }
}
