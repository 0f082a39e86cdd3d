package dev.maas4j.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsAndBuilderTest {

    private static final String KEY = "sk-oai-abcdef_topsecretvalue123";

    @Test
    void theApiKeyIsInNoToString() {
        MaasClient.Builder builder = MaasClient.builder().baseUrl("https://maas.example.com/v1").apiKey(KEY);
        MaasClient client = builder.build();

        assertFalse(builder.toString().contains(KEY), builder.toString());
        assertFalse(client.toString().contains(KEY), client.toString());
        assertTrue(client.toString().contains("apiKey=****"), client.toString());
    }

    @Test
    void theApiKeyIsInNoConnectionErrorMessage() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MaasClient client = MaasClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(KEY)
                .maxRetries(0).build();

        ConnectionException e = assertThrows(ConnectionException.class,
                () -> client.chat().create(ChatCompletionRequest.of("m", "hi")));

        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t).contains(KEY), String.valueOf(t));
        }
    }

    @Test
    void settingsFailWhereTheyAreSetNamingTheSetting() {
        assertEquals("baseUrl must be an absolute http or https URL, was ftp://x",
                assertThrows(IllegalArgumentException.class, () -> MaasClient.builder().baseUrl("ftp://x")).getMessage());
        assertEquals("apiKey must not be blank",
                assertThrows(IllegalArgumentException.class, () -> MaasClient.builder().apiKey(" ")).getMessage());
        assertEquals("timeout must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> MaasClient.builder().timeout(Duration.ZERO)).getMessage());
        assertEquals("baseUrl was already set to http://a/v1", assertThrows(IllegalStateException.class,
                () -> MaasClient.builder().baseUrl("http://a/v1").baseUrl("http://b/v1")).getMessage());
        assertEquals("baseUrl is required",
                assertThrows(IllegalStateException.class, () -> MaasClient.builder().build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> MaasClient.builder().header("Host", "x")).getMessage().startsWith("header Host cannot be set"));
        assertTrue(assertThrows(IllegalStateException.class, () -> MaasClient.builder().baseUrl("http://a")
                .httpClient(HttpClient.newHttpClient()).connectTimeout(Duration.ofSeconds(1)).build())
                .getMessage().startsWith("connectTimeout cannot be combined with httpClient"));
        assertTrue(assertThrows(IllegalStateException.class, () -> MaasClient.builder().baseUrl("http://a")
                .apiKey(KEY).header("Authorization", "Basic x").build()).getMessage().contains("apiKey"));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().maxAttempts(0).build());
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder()
                .initialBackoff(Duration.ofSeconds(10)).maxBackoff(Duration.ofSeconds(1)).build());
    }

    @Test
    void requestsValidateTheirRequiredParts() {
        assertEquals("model is required", assertThrows(IllegalStateException.class,
                () -> ChatCompletionRequest.builder().addUserMessage("hi").build()).getMessage());
        assertEquals("messages must not be empty", assertThrows(IllegalArgumentException.class,
                () -> ChatCompletionRequest.builder().model("m").build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChatCompletionRequest.builder().temperature(3));
        assertThrows(IllegalArgumentException.class, () -> Tool.Function.builder("f").parametersJson("[1]"));
    }
}
