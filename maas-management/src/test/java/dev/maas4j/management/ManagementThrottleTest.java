package dev.maas4j.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.core.AuthFailureThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.maas4j.management.ManagementFixture.ADMIN;
import static dev.maas4j.management.ManagementFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Credential guessing on the management API, over real HTTP: failed authentications are throttled per address. */
class ManagementThrottleTest {
    private static final String WRONG = "wrong-token-0123456789";

    private static double count(MeterRegistry registry, String reason) {
        Counter counter = registry.find("maas.auth.failures").tag("api", "management").tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static void assertThrottled(ManagementFixture.Response r, long retryAfter) {
        assertEquals(429, r.status(), r::toString);
        assertEquals(String.valueOf(retryAfter), r.headers().firstValue("Retry-After").orElseThrow());
        JsonNode error = r.json().get("error");
        assertEquals("rate_limit_error", error.get("type").asText());
        assertEquals("too_many_authentication_failures", error.get("code").asText());
        assertTrue(error.has("param") && error.get("param").isNull(), r::toString);
        assertTrue(error.get("message").asText().contains("try again in " + retryAfter + " second"), r::toString);
    }

    @Test
    void twentyWrongTokensAre401AndThenEvenTheRightTokenIs429UntilTheWindowEnds() throws Exception {
        try (ManagementFixture f = new ManagementFixture()) {
            for (int i = 0; i < 20; i++) {
                assertEquals(401, f.get("/api-keys", WRONG).status(), "failure " + (i + 1));
            }
            assertThrottled(f.get("/api-keys", WRONG), 60);
            assertThrottled(f.get("/api-keys", ADMIN), 60);
            f.time.advance(Duration.ofSeconds(59));
            assertThrottled(f.get("/api-keys", ADMIN), 1);
            f.time.advance(Duration.ofSeconds(1));
            assertEquals(200, f.get("/api-keys", ADMIN).status(), "the window is over");

            MeterRegistry registry = f.engine.meterRegistry();
            assertEquals(20, count(registry, "invalid_credentials"));
            assertEquals(3, count(registry, "throttled"));
            assertEquals(0, f.audit.size(), "a refused caller changes nothing");
        }
    }

    @Test
    void anotherAddressIsUnaffected() throws Exception {
        try (ManagementFixture f = new ManagementFixture()) {
            for (int i = 0; i < 20; i++) {
                f.get("/api-keys", WRONG);
            }
            assertEquals(429, f.get("/api-keys", ADMIN).status(), "127.0.0.1 is throttled");
            // Linux routes all of 127/8 to the loopback interface: a second client address
            assertEquals(200, statusFrom("127.0.0.2", f.base, "/api-keys", ADMIN));
            assertEquals(401, statusFrom("127.0.0.2", f.base, "/api-keys", WRONG), "verified, not throttled");
            assertEquals(429, f.get("/api-keys", ADMIN).status(), "127.0.0.1 still is");
        }
    }

    /** The status of a GET sent from {@code sourceAddress}, over a raw socket bound to it. */
    private static int statusFrom(String sourceAddress, URI base, String path, String token) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            String request = "GET " + base.getPath() + path + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Authorization: Bearer " + token + "\r\n"
                    + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 "), response);
            return Integer.parseInt(response.substring(9, 12));
        }
    }

    @Test
    void apiKeysAndMissingCredentialsCountAsFailuresToo() throws Exception {
        try (ManagementFixture f = new ManagementFixture()) {
            String apiKey = f.createKey(ALICE, "{\"name\":\"inference-only\"}").get("key").asText();
            for (int i = 0; i < 10; i++) {
                assertEquals(401, f.get("/api-keys", apiKey).status());
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(401, f.sendWith("GET", "/api-keys", null, "x-api-key", apiKey).status());
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(401, f.get("/api-keys", null).status());
            }
            ManagementFixture.Response throttled = f.get("/api-keys", apiKey);
            assertThrottled(throttled, 60);
            assertTrue(!throttled.body().contains(apiKey), "the key is not echoed");

            MeterRegistry registry = f.engine.meterRegistry();
            assertEquals(15, count(registry, "api_key_not_accepted"));
            assertEquals(5, count(registry, "missing_credentials"));
            assertEquals(1, count(registry, "throttled"));
        }
    }

    @Test
    void aSuccessDoesNotResetTheCountSoAValidTokenCannotCoverGuesses() throws Exception {
        try (ManagementFixture f = new ManagementFixture()) {
            for (int i = 0; i < 19; i++) {
                f.get("/api-keys", WRONG);
            }
            assertEquals(200, f.get("/api-keys", ALICE).status(), "19 failures: still verified");
            assertEquals(401, f.get("/api-keys", WRONG).status());
            assertEquals(429, f.get("/api-keys", ALICE).status());
        }
    }

    @Test
    void theThrottleGivenToTheBuilderIsUsed() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuthFailureThrottle[] shared = new AuthFailureThrottle[1];
        try (ManagementFixture f = new ManagementFixture(b -> {
            shared[0] = AuthFailureThrottle.builder().maxFailures(3).window(Duration.ofSeconds(10))
                    .meterRegistry(registry).build();
            b.authFailureThrottle(shared[0]);
        }, null, null)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(401, f.get("/api-keys", WRONG).status());
            }
            ManagementFixture.Response r = f.get("/api-keys", ADMIN);
            assertEquals(429, r.status(), r::toString);
            long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 10, r::toString);
            assertTrue(shared[0].retryAfterSeconds("127.0.0.1") > 0, "the failures are the given throttle's");
            assertEquals(3, count(registry, "invalid_credentials"));
            assertEquals(1, count(registry, "throttled"));
            assertEquals(0, count(f.engine.meterRegistry(), "invalid_credentials"));
        }
    }
}
