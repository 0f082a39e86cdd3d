package dev.maas4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.core.CreatedKey;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.core.MaasEngine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.maas4j.testing.TestData.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the suites over real HTTP on loopback share: the store and engine a suite sets up, keys,
 * an HTTP client for {@link #base}, OpenAI request bodies, error assertions and reading back the
 * usage the engine settled. Waits are bounded; nothing asserts on timing.
 */
abstract class GovernedHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHAT = "{\"model\":\"granite\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    static final String STREAM_CHAT =
            "{\"model\":\"granite\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    InMemoryStore store;
    MaasEngine engine;
    /** Where the governed endpoint listens; set by the suite once its host has started. */
    URI base;

    /**
     * Sets up {@link #store} and {@link #engine} with one model: {@code granite}, which user
     * {@code alice} (group {@code dev}) may use under the subscription {@code free}, one million
     * tokens a minute. Usage is flushed every 10 ms, so that settlements show at once.
     */
    void startEngineWithGranite(ModelRef granite) {
        startEngineWithGranite(granite, MaasEngine.builder());
    }

    /** {@link #startEngineWithGranite(ModelRef)} with the engine's other settings from {@code builder}. */
    void startEngineWithGranite(ModelRef granite, MaasEngine.Builder builder) {
        store = new InMemoryStore();
        store.setGroups("alice", "dev");
        store.putModel(granite);
        store.putPolicy(AuthPolicy.of("dev-models", SubjectSet.groups("dev"), granite.name()));
        store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                .model(granite.name(), RateLimit.of(1_000_000, "1m")).build());
        engine = builder.store(store).usageFlushInterval(Duration.ofMillis(10)).build();
    }

    CreatedKey key(String user, KeyLimits limits) {
        return engine.createKey(KeyRequest.builder(Subject.user(user), "test").limits(limits).build());
    }

    static String bearer(CreatedKey key) {
        return "Bearer " + key.secret().reveal();
    }

    /**
     * A JSON POST to {@code path} with the given authorization (none if null) and header name/value
     * pairs, which replace a default of the same name ({@code Content-Type}).
     */
    HttpRequest.Builder request(String path, String body, String authorization, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
        }
        return builder;
    }

    HttpResponse<String> post(String path, String body, String authorization, String... headers)
            throws Exception {
        return http.send(request(path, body, authorization, headers).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts an OpenAI JSON error with this status, type and code. */
    static void assertError(HttpResponse<String> response, int status, String type, String code)
            throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertEquals(type, error.path("type").asText(), response.body());
        assertEquals(code, error.path("code").asText(), response.body());
        assertFalse(error.path("message").asText().isBlank());
    }

    /** The usage events recorded for {@code key} so far, after flushing what the engine holds. */
    List<UsageEvent> events(CreatedKey key) {
        engine.usage().flush(Duration.ofSeconds(5));
        List<UsageEvent> events = new ArrayList<>();
        store.forEach(UsageQuery.between(Instant.EPOCH, Instant.now().plusSeconds(3600)), e -> {
            if (e.keyId().equals(key.key().id())) {
                events.add(e);
            }
        });
        return events;
    }

    /** Settlement may follow the last byte the client reads by a moment: wait for it, bounded. */
    List<UsageEvent> awaitEvents(CreatedKey key, int count) {
        return eventually(count + " usage events of " + key.key().id()).until(() -> events(key),
                events -> events.size() >= count);
    }

    /** The one usage event of {@code key}: fails if none comes or if there are more. */
    UsageEvent single(CreatedKey key) {
        List<UsageEvent> events = awaitEvents(key, 1);
        assertEquals(1, events.size(), events.toString());
        assertNotNull(events.get(0));
        return events.get(0);
    }
}
