package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.maas4j.testing.TestData.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runnable gateway's own defences over real HTTP on loopback: the 413 its clients actually
 * receive for an oversized body, connections per client address, and one allowance of failed
 * authentications shared by the model and management APIs. (The filter's and the proxy's are in
 * maas-servlet's contract suites.)
 */
class GatewaySecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Gateway start(String yaml) throws Exception {
        GatewayConfig config = GatewayConfig.parse(yaml, Map.of("MAAS_PORT", "0", "MAAS_STORE", "memory"));
        return Gateway.start(config, new PrintStream(OutputStream.nullOutputStream()));
    }

    @Test
    void anElevenMegabyteBodyGetsTheJson413() throws Exception {
        try (Gateway gateway = start("{}")) {
            String key = gateway.demoKey().orElseThrow().reveal();
            byte[] big = ("{\"model\":\"demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "x".repeat(11_000_000) + "\"}]}").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 5; i++) {
                // a new connection each time, as the client that lost its answer to a reset had
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                gateway.baseUri().resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(413, response.statusCode(), response.body());
                assertEquals("request_too_large", JSON.readTree(response.body()).path("error").path("code").asText());
            }
        }
    }

    @Test
    void oneAddressHoldsNoMoreThanItsConnections() throws Exception {
        try (Gateway gateway = start("server: {maxConnectionsPerAddress: 3}")) {
            List<Socket> four = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    four.add(connect(gateway.baseUri(), "127.0.0.1"));
                }
                // Jetty opens connections on several selector threads: whichever opens last is closed
                int served = 0;
                for (Socket socket : four) {
                    if (servedHealthz(socket)) {
                        served++;
                    }
                }
                assertEquals(3, served, "three of the four connections from the address are served");
                try (Socket other = connect(gateway.baseUri(), "127.0.0.2")) {
                    assertTrue(servedHealthz(other), "another address is served");
                }
            } finally {
                for (Socket socket : four) {
                    socket.close();
                }
            }
            // every connection is given back, the refused one too: the address may hold three again
            // (a bounded wait for the server to see the closes)
            eventually("the address holds three connections again once its others closed")
                    .pollInterval(Duration.ofMillis(20)).until(() -> servedOfThree(gateway) == 3);
        }
    }

    @Test
    void guessesOnTheManagementApiCountAgainstTheModelApiToo() throws Exception {
        try (Gateway gateway = start("server: {maxAuthFailures: 3}")) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(
                        gateway.baseUri().resolve("/maas-api/v1/api-keys")).header("Authorization",
                        "Bearer maas-admin-wrong" + i).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, wrong.statusCode(), wrong.body());
            }
            String key = gateway.demoKey().orElseThrow().reveal();
            HttpResponse<String> model = http.send(HttpRequest.newBuilder(
                            gateway.baseUri().resolve("/v1/chat/completions")).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"demo-echo\",\"messages\":[]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(429, model.statusCode(), model.body());
            assertEquals("too_many_authentication_failures",
                    JSON.readTree(model.body()).path("error").path("code").asText());
            assertTrue(model.headers().firstValue("Retry-After").isPresent());
            assertFalse(model.body().contains(key));
        }
    }

    private static Socket connect(URI base, String source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Whether a {@code GET /healthz/} on the connection is answered 200 (not closed, nor reset). */
    private static boolean servedHealthz(Socket socket) {
        try {
            return healthz(socket) == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static int healthz(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /healthz/ HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        byte[] line = in.readNBytes(12);
        return Integer.parseInt(new String(line, 9, 3, StandardCharsets.ISO_8859_1));
    }

    /** Opens three connections from 127.0.0.1 at once and says how many were served. */
    private static int servedOfThree(Gateway gateway) throws Exception {
        List<Socket> again = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                again.add(connect(gateway.baseUri(), "127.0.0.1"));
            }
            int served = 0;
            for (Socket socket : again) {
                if (servedHealthz(socket)) {
                    served++;
                }
            }
            return served;
        } finally {
            for (Socket socket : again) {
                socket.close();
            }
        }
    }
}
