package dev.maas4j.client;

import dev.maas4j.testing.FakeOpenAiUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.maas4j.client.Fixtures.bodyJson;
import static dev.maas4j.client.Fixtures.fixture;
import static dev.maas4j.testing.FakeOpenAiUpstream.json;
import static dev.maas4j.testing.FakeOpenAiUpstream.sse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncAndOtherEndpointsTest {

    private final FakeOpenAiUpstream server = FakeOpenAiUpstream.start();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final MaasClient client = MaasClient.builder().baseUrl(server.root() + "/v1").apiKey("sk-test")
            .executor(executor).maxRetries(0).build();

    @AfterEach
    void stop() {
        server.close();
        executor.shutdownNow();
    }

    @Test
    void asyncChatCompletes() {
        server.on("POST", "/v1/chat/completions", json(200, fixture("chat-completion.json"), "x-request-id", "r1"));

        CompletableFuture<ApiResponse<ChatCompletion>> future =
                client.chat().createWithResponseAsync(ChatCompletionRequest.of("gpt-4o-mini", "hi"));

        ApiResponse<ChatCompletion> response = future.join();
        assertEquals("Hello! How can I assist you today?", response.body().text().orElseThrow());
        assertEquals("r1", response.requestId().orElseThrow());
    }

    @Test
    void asyncFailuresCarryTheTypedException() {
        server.on("POST", "/v1/chat/completions", json(401, fixture("error-401.json")));

        CompletionException e = assertThrows(CompletionException.class,
                () -> client.chat().createAsync(ChatCompletionRequest.of("gpt-4o-mini", "hi")).join());

        AuthenticationException cause = assertInstanceOf(AuthenticationException.class, e.getCause());
        assertEquals("invalid_api_key", cause.code().orElseThrow());
    }

    @Test
    void asyncTimeoutsAreRequestTimeouts() {
        // the answer never comes (the gate opens when the server closes)
        server.on("POST", "/v1/chat/completions", (request, exchange, attempt) -> server.gates().await("never"));
        MaasClient impatient = MaasClient.builder().baseUrl(server.root() + "/v1").timeout(Duration.ofMillis(200))
                .build();

        CompletionException e = assertThrows(CompletionException.class,
                () -> impatient.chat().createAsync(ChatCompletionRequest.of("m", "hi")).join());

        assertInstanceOf(RequestTimeoutException.class, e.getCause());
        assertEquals(1, server.requests().size());
    }

    @Test
    void asyncStreamOpensWithoutBlocking() {
        server.on("POST", "/v1/chat/completions", sse(fixture("chat-stream.sse")));

        ChatCompletion completion;
        try (ChatCompletionStream stream = client.chat().streamAsync(ChatCompletionRequest.of("m", "hi")).join()) {
            completion = stream.readAll();
        }

        assertEquals("Hello there!", completion.text().orElseThrow());
    }

    @Test
    void embeddingsReadFloatArrays() {
        server.on("POST", "/v1/embeddings", json(200, fixture("embeddings.json")));

        EmbeddingResponse response = client.embeddings().create(
                EmbeddingRequest.of("text-embedding-3-small", "The food was delicious", "and the waiter...")
                        .withDimensions(3));

        assertEquals(2, response.data().size());
        assertArrayEquals(new float[] {0.0023064255f, -0.009327292f, -0.0028842222f}, response.data().get(0).embedding());
        assertEquals(1, response.data().get(1).index());
        assertEquals(3, response.data().get(1).dimensions());
        assertEquals(8, response.usage().orElseThrow().promptTokens());
        assertEquals("text-embedding-3-small", response.model());
        var body = bodyJson(server.last());
        assertEquals("The food was delicious", body.at("/input/0").asText());
        assertEquals(3, body.get("dimensions").asInt());
    }

    @Test
    void embeddingsDecodeBase64AndOneInputIsSentAsAString() {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        String b64 = Base64.getEncoder().encodeToString(bytes.array());
        server.on("POST", "/v1/embeddings", json(200, "{\"object\":\"list\",\"model\":\"m\",\"data\":[{\"object\":"
                + "\"embedding\",\"index\":0,\"embedding\":\"" + b64 + "\"}],\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}"));

        EmbeddingResponse response = client.embeddings()
                .createAsync(EmbeddingRequest.of("m", "hello").withEncodingFormat("base64")).join();

        assertArrayEquals(new float[] {1.5f, -2f}, response.vectors().get(0));
        assertEquals("hello", bodyJson(server.last()).get("input").asText());
        assertEquals("base64", bodyJson(server.last()).get("encoding_format").asText());
    }

    @Test
    void modelsAreListedWithGatewayExtras() {
        server.on("GET", "/v1/models", json(200, fixture("models.json")));
        server.on("GET", "/v1/models/gpt-4o-mini", json(200,
                "{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1686935002,\"owned_by\":\"openai\"}"));

        ModelList list = client.models().list();
        Model llama = list.find("llama-2-7b-chat").orElseThrow();

        assertEquals("model-namespace/llama-2-7b-chat", llama.ownedBy());
        assertEquals(1672531200L, llama.created());
        assertEquals(true, llama.extra().get("ready"));
        assertEquals(List.of(Map.of("name", "basic-subscription")), llama.extra().get("subscriptions"));
        assertEquals(2, client.models().listAsync().join().data().size());
        assertEquals("openai", client.models().retrieve("gpt-4o-mini").ownedBy());
        server.on("GET", "/v1/models/ibm-granite/granite-3.3-8b%20instruct", json(200,
                "{\"id\":\"ibm-granite/granite-3.3-8b instruct\",\"object\":\"model\",\"created\":1,\"owned_by\":\"x\"}"));
        assertEquals("ibm-granite/granite-3.3-8b instruct",
                client.models().retrieve("ibm-granite/granite-3.3-8b instruct").id());
        assertEquals("GET", server.last().method());
    }

    @Test
    void completionsAreCreated() {
        server.on("POST", "/v1/completions", json(200, fixture("completion.json")));

        Completion completion = client.completions().create(CompletionRequest.builder()
                .model("gpt-3.5-turbo-instruct").prompt("Say this is a test").maxTokens(7).temperature(0).build());

        assertEquals("\n\nThis is indeed a test", completion.text());
        assertEquals(12, completion.usage().orElseThrow().totalTokens());
        assertEquals(7, bodyJson(server.last()).get("max_tokens").asInt());
        assertTrue(client.completions().createAsync(CompletionRequest.builder().model("m").prompt("a", "b").build())
                .join().choices().size() > 0);
        assertTrue(bodyJson(server.last()).get("prompt").isArray(), "several prompts are an array");
    }
}
