package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        GatewayConfig config = GatewayConfig.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .withEnvironment(Map.of("MAAS_PORT", "0", "MAAS_STORE", "memory"));
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
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(connect(gateway.baseUri(), "127.0.0.1"));
                }
                try (Socket fourth = connect(gateway.baseUri(), "127.0.0.1")) {
                    assertTrue(closedWithoutAnswer(fourth), "the fourth connection from the address is closed");
                }
                try (Socket other = connect(gateway.baseUri(), "127.0.0.2")) {
                    assertEquals(200, healthz(other), "another address is served");
                }
                assertEquals(200, healthz(held.get(0)), "the address's first connections still work");
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
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

    /** Whether the server closes the connection (end of stream or reset) before answering a request. */
    private static boolean closedWithoutAnswer(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write("GET /healthz/ HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static int healthz(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /healthz/ HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        byte[] line = in.readNBytes(12);
        return Integer.parseInt(new String(line, 9, 3, StandardCharsets.ISO_8859_1));
    }
}
