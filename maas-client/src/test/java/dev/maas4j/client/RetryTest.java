package dev.maas4j.client;

import dev.maas4j.testing.FakeOpenAiUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.maas4j.client.Fixtures.bodyJson;
import static dev.maas4j.client.Fixtures.fixture;
import static dev.maas4j.testing.FakeOpenAiUpstream.json;
import static dev.maas4j.testing.FakeOpenAiUpstream.respond;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryTest {

    private static final String PATH = "/v1/chat/completions";

    private final FakeOpenAiUpstream server = FakeOpenAiUpstream.start();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private FakeOpenAiUpstream late;

    @AfterEach
    void stop() {
        server.close();
        if (late != null) {
            late.close();
        }
    }

    private MaasClient client(String root, RetryPolicy policy) {
        return MaasClient.builder().baseUrl(root + "/v1").apiKey("sk-test").retryPolicy(policy)
                .timeout(Duration.ofSeconds(30)).sleeper(sleeper).build();
    }

    private MaasClient client() {
        return client(server.root(), RetryPolicy.defaults());
    }

    private static ChatCompletionRequest chat() {
        return ChatCompletionRequest.of("gpt-4o-mini", "hi");
    }

    /** Fails with {@code status} the first {@code failures} attempts, then answers the completion. */
    private static FakeOpenAiUpstream.Handler failThenSucceed(int failures, int status, String... headers) {
        return (request, exchange, attempt) -> {
            if (attempt <= failures) {
                respond(exchange, status, fixture("error-" + (status == 429 ? 429 : status == 503 ? 503 : 500) + ".json"),
                        headers);
            } else {
                respond(exchange, 200, fixture("chat-completion.json"));
            }
        };
    }

    @Test
    void a429WithRetryAfterIsRetriedAfterTheDelayAndThenSucceeds() {
        server.on("POST", PATH, failThenSucceed(1, 429, "Retry-After", "2"));

        ChatCompletion completion = client().chat().create(chat());

        assertEquals("Hello! How can I assist you today?", completion.text().orElseThrow());
        assertEquals(2, server.requests().size());
        assertEquals(List.of(Duration.ofSeconds(2)), sleeper.delays());
        assertEquals(server.requests().get(0).body(), server.requests().get(1).body(), "the same request is sent again");
    }

    @Test
    void retryAfterMillisecondsAndHttpDatesAreHonoured() {
        server.on("POST", PATH, failThenSucceed(1, 429, "retry-after-ms", "250", "Retry-After", "1"));
        client().chat().create(chat());
        assertEquals(List.of(Duration.ofMillis(250)), sleeper.delays(), "retry-after-ms is the more precise");

        String inOneMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5));
        FakeOpenAiUpstream other = FakeOpenAiUpstream.start();
        try {
            other.on("POST", PATH, failThenSucceed(1, 503, "Retry-After", inOneMinute));
            RecordingSleeper s = new RecordingSleeper();
            MaasClient.builder().baseUrl(other.root() + "/v1").sleeper(s).build().chat().create(chat());
            Duration d = s.delays().get(0);
            assertTrue(d.compareTo(Duration.ofSeconds(3)) > 0 && d.compareTo(Duration.ofSeconds(6)) <= 0, d.toString());
        } finally {
            other.close();
        }
    }

    @Test
    void retryAfterIsCappedByMaxBackoff() {
        server.on("POST", PATH, failThenSucceed(1, 429, "Retry-After", "120"));

        client(server.root(), RetryPolicy.builder().maxBackoff(Duration.ofSeconds(5)).build()).chat().create(chat());

        assertEquals(List.of(Duration.ofSeconds(5)), sleeper.delays());
    }

    @Test
    void withoutRetryAfterTheBackoffGrowsExponentially() {
        server.on("POST", PATH, failThenSucceed(3, 503));

        client(server.root(), RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(1)).build()).chat().create(chat());

        List<Duration> d = sleeper.delays();
        assertEquals(3, d.size());
        for (int i = 0; i < 3; i++) {
            long max = 100L << i;
            long ms = d.get(i).toMillis();
            assertTrue(ms <= max && ms >= max * 3 / 4, "delay " + i + " was " + ms + " ms");
        }
    }

    @Test
    void retriesStopAfterMaxAttemptsWithTheLastError() {
        server.on("POST", PATH, failThenSucceed(10, 429, "Retry-After", "0"));

        RateLimitException e = assertThrows(RateLimitException.class, () -> client().chat().create(chat()));

        assertEquals(3, server.requests().size());
        assertEquals(Duration.ZERO, e.retryAfter().orElseThrow());
    }

    @ParameterizedTest(name = "POST answered {0} is not retried")
    @ValueSource(ints = {500, 502, 504, 400, 401})
    void aPostThatMayHaveBeenProcessedIsNotRetried(int status) {
        server.on("POST", PATH, failThenSucceed(1, status));

        assertThrows(MaasApiException.class, () -> client().chat().create(chat()));

        assertEquals(1, server.requests().size());
        assertTrue(sleeper.delays().isEmpty());
    }

    @ParameterizedTest(name = "GET answered {0} is retried")
    @ValueSource(ints = {502, 503, 504, 429})
    void anIdempotentGetIsRetriedOnTransientStatuses(int status) {
        server.on("GET", "/v1/models", (request, exchange, attempt) -> {
            if (attempt == 1) {
                respond(exchange, status, "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\"}}");
            } else {
                respond(exchange, 200, fixture("models.json"));
            }
        });

        ModelList models = client().models().list();

        assertEquals(2, models.data().size());
        assertEquals(2, server.requests().size());
    }

    @Test
    void aPostIsNeverRetriedAfterATimeoutWaitingForTheResponse() {
        // the answer never comes (the gate opens when the server closes)
        server.on("POST", PATH, (request, exchange, attempt) -> server.gates().await("never"));
        MaasClient client = MaasClient.builder().baseUrl(server.root() + "/v1").timeout(Duration.ofMillis(300))
                .retryPolicy(RetryPolicy.builder().maxAttempts(5).build()).sleeper(sleeper).build();

        assertThrows(RequestTimeoutException.class, () -> client.chat().create(chat()));

        assertEquals(1, server.requests().size(), "the server may be processing it: no second attempt");
        assertTrue(sleeper.delays().isEmpty());
    }

    @Test
    void aPostIsNotRetriedWhenTheConnectionDropsBeforeTheAnswer() {
        server.on("POST", PATH, (request, exchange, attempt) -> {
            // Closing without a status line: the request was received, the answer never comes.
        });

        ConnectionException e = assertThrows(ConnectionException.class, () -> client().chat().create(chat()));

        assertEquals(1, server.requests().size());
        assertTrue(e.getMessage().startsWith("POST http://"), e.getMessage());
    }

    @Test
    void aPostIsRetriedWhenTheConnectionWasRefusedBecauseNothingWasSent() throws IOException {
        int port = freePort();
        AtomicReference<FakeOpenAiUpstream> started = new AtomicReference<>();
        sleeper.onSleep(() -> {
            if (started.get() == null) {
                FakeOpenAiUpstream s = FakeOpenAiUpstream.startOn(port);
                s.on("POST", PATH, json(200, fixture("chat-completion.json")));
                started.set(s);
            }
        });

        ChatCompletion completion = client("http://127.0.0.1:" + port, RetryPolicy.defaults()).chat().create(chat());
        late = started.get();

        assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", completion.id());
        assertEquals(1, sleeper.delays().size());
        assertEquals(1, late.requests().size());
    }

    @Test
    void aRefusedConnectionIsAConnectionExceptionOnceRetriesAreUsedUp() throws IOException {
        int port = freePort();

        ConnectionException e = assertThrows(ConnectionException.class,
                () -> client("http://127.0.0.1:" + port, RetryPolicy.defaults()).chat().create(chat()));

        assertEquals(2, sleeper.delays().size());
        assertTrue(e.getMessage().startsWith("could not connect to http://127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void asyncCallsRetryToo() {
        server.on("POST", PATH, failThenSucceed(2, 503, "Retry-After", "1"));

        ChatCompletion completion = client().chat().createAsync(chat()).join();

        assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", completion.id());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), sleeper.delays());
        assertEquals(3, server.requests().size());
    }

    @Test
    void theRealSleeperWaitsAndRetries() {
        server.on("POST", PATH, failThenSucceed(1, 429, "retry-after-ms", "20"));
        MaasClient real = MaasClient.builder().baseUrl(server.root() + "/v1").build();

        assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", real.chat().create(chat()).id());
        assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", real.chat().createAsync(chat()).join().id());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
