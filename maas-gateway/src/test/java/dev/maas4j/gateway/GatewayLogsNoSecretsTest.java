package dev.maas4j.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The gateway with every logger at TRACE (Jetty's dump whole headers and raw buffers at DEBUG):
 * requests carrying API keys (valid and not, as Bearer, x-api-key, api-key and Basic), admin tokens
 * (generated and configured), cookies and a proxy credential, and whatever the gateway writes to
 * its log (standard error) holds none of them, nor any 12-character piece of one.
 */
class GatewayLogsNoSecretsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> secrets = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream standardError;
    private Level rootLevel;

    @BeforeEach
    void everyLoggerAtTraceAndStandardErrorCaptured() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        standardError = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(standardError);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).setLevel(rootLevel);
    }

    @Test
    void noApiKeyAdminTokenCookieOrProxyCredentialReachesTheLogAtTrace() throws Exception {
        try (Gateway gateway = Gateway.start(config(Map.of()), new PrintStream(OutputStream.nullOutputStream()))) {
            URI base = gateway.baseUri();
            String admin = secret(gateway.adminToken().reveal());
            String key = secret(gateway.demoKey().orElseThrow().reveal());
            String chat = "{\"model\":\"demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

            // the admin token on the management API, whose answer carries a new key
            HttpResponse<String> created = send(HttpRequest.newBuilder(base.resolve("/maas-api/v1/api-keys"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"laptop\"}")));
            assertEquals(201, created.statusCode(), created.body());
            String createdKey = secret(new ObjectMapper().readTree(created.body()).path("key").asText());

            assertEquals(200, send(chat(base, chat).header("Authorization", "Bearer " + key)).statusCode());
            assertEquals(200, send(chat(base, chat.replace("{\"model\"", "{\"stream\":true,\"model\""))
                    .header("Authorization", "Bearer " + createdKey)).statusCode());
            assertEquals(200, send(chat(base, chat).header("x-api-key", key)).statusCode());
            String basic = secret(Base64.getEncoder().encodeToString(("alice:" + createdKey)
                    .getBytes(StandardCharsets.UTF_8)));
            assertEquals(200, send(chat(base, chat).header("Authorization", "Basic " + basic)).statusCode());
            assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/v1/models"))
                    .header("Authorization", "Bearer " + key)
                    .header("Cookie", "session=" + secret(hex(24)) + "; theme=dark")
                    .header("Proxy-Authorization", "Basic " + secret(hex(20)))).statusCode());

            // keys that are wrong: shaped like ours, or not at all
            String wrongKey = secret(key.substring(0, key.lastIndexOf('_') + 1) + hex(24));
            assertEquals(401, send(chat(base, chat).header("Authorization", "Bearer " + wrongKey)).statusCode());
            assertEquals(401, send(chat(base, chat).header("Authorization", "Bearer " + secret(hex(24))))
                    .statusCode());
            assertEquals(401, send(chat(base, chat).header("x-api-key", secret(hex(24)))).statusCode());
            assertEquals(401, send(chat(base, chat).header("api-key", secret(hex(24)))).statusCode());
            assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/maas-api/v1/api-keys"))
                    .header("Authorization", "Bearer " + key)).statusCode(), "never an API key on the management API");

            // a request whose key arrives in two reads: Jetty's second buffer opens inside the key
            assertTrue(splitRequest(base, key).startsWith("HTTP/1.1 200 "));

            // an exception through the same appender: its message, its cause's, its stack trace
            LoggerFactory.getLogger("dev.maas4j.gateway.test").warn("upstream said no to Bearer {}", key,
                    new IllegalStateException("refused x-api-key: " + key, new IOException("bad key " + createdKey)));
        }
        String configured = secret(hex(32));
        try (Gateway gateway = Gateway.start(config(Map.of("MAAS_ADMIN_TOKEN", configured)),
                new PrintStream(OutputStream.nullOutputStream()))) {
            assertEquals(200, send(HttpRequest.newBuilder(gateway.baseUri().resolve("/maas-api/v1/api-keys"))
                    .header("Authorization", "Bearer " + configured)).statusCode());
            assertEquals(401, send(HttpRequest.newBuilder(gateway.baseUri().resolve("/maas-api/v1/api-keys"))
                    .header("Authorization", "Bearer " + secret(hex(32)))).statusCode());
        }

        System.err.flush();
        String logged = log.toString(StandardCharsets.UTF_8);
        // the test can fail: Jetty did log, at DEBUG
        assertTrue(logged.length() > 100_000, "only " + logged.length() + " characters logged");
        assertTrue(logged.contains(" DEBUG ") && logged.contains("org.eclipse.jetty"), "Jetty logged at DEBUG");
        for (String secret : secrets) {
            // an API key's id (before the last '_') is public: it names the key in the management API
            String hidden = secret.startsWith("sk-oai-") ? secret.substring(secret.lastIndexOf('_') + 1) : secret;
            for (int i = 0; i + 12 <= hidden.length(); i++) {
                int at = logged.indexOf(hidden.substring(i, i + 12));
                if (at >= 0) {
                    fail("a piece of a secret was logged: "
                            + logged.substring(Math.max(0, at - 300), Math.min(logged.length(), at + 100)));
                }
            }
        }
        assertTrue(logged.contains("Authorization: [redacted]"), "Jetty logged the Authorization header");
        assertTrue(logged.contains("java.lang.IllegalStateException: refused x-api-key: [redacted]"), "the exception");
        assertTrue(logged.contains("Caused by: java.io.IOException: bad key sk-oai-[redacted]"), "its cause");
    }

    private static GatewayConfig config(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(Map.of("MAAS_PORT", "0", "MAAS_STORE", "memory"));
        return GatewayConfig.parse("", all);
    }

    private String secret(String value) {
        secrets.add(value);
        return value;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static HttpRequest.Builder chat(URI base, String body) {
        return HttpRequest.newBuilder(base.resolve("/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String splitRequest(URI base, String key) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            int cut = key.length() - 30;
            out.write(("GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                    + key.substring(0, cut)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // real time, and legitimately: Jetty must have read and parsed the first part on its own
            // before the rest arrives, and nothing outside it can tell when it has
            Thread.sleep(300);
            out.write((key.substring(cut) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
