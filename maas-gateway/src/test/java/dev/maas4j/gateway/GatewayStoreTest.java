package dev.maas4j.gateway;

import static dev.maas4j.testing.TestData.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.UsageQuery;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default store: an H2 file in the data directory, so keys, catalog and usage survive a restart. */
class GatewayStoreTest {
    private static final String ADMIN_TOKEN = "maas-admin-aaba9f03174a23e7e3feca072fd247a99c515189b807f585";
    private final HttpClient http = HttpClient.newHttpClient();

    private static GatewayConfig config(Path dataDir) throws Exception {
        return GatewayConfig.parse("demo: {printKey: false}\n", Map.of("MAAS_PORT", "0",
                "MAAS_DATA_DIR", dataDir.toString(), "MAAS_ADMIN_TOKEN", ADMIN_TOKEN));
    }

    @Test
    void keysAndUsageSurviveARestartOnTheDefaultH2File(@TempDir Path dataDir) throws Exception {
        assertEquals(GatewayConfig.StoreType.H2, GatewayConfig.defaults().store().type());
        String key;
        long tokens;
        try (Gateway gateway = Gateway.start(config(dataDir), new PrintStream(OutputStream.nullOutputStream()))) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                            gateway.baseUri().resolve("/maas-api/v1/api-keys"))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"laptop\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            key = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).path("key").asText();
            assertEquals(200, chat(gateway.baseUri(), key).statusCode());
            tokens = awaitUsage(gateway, 1);
            assertTrue(tokens > 0);
        }
        assertTrue(Files.exists(dataDir.resolve("maas.mv.db")), "the H2 file is in the data directory");

        try (Gateway gateway = Gateway.start(config(dataDir), new PrintStream(OutputStream.nullOutputStream()))) {
            assertEquals(tokens, usage(gateway), "usage survives the restart");
            assertEquals(200, chat(gateway.baseUri(), key).statusCode(), "the key survives the restart");
            assertEquals(2 * tokens, awaitUsage(gateway, 2 * tokens));
        }
    }

    @Test
    void postgresqlNeedsAUrlAndAnUnknownTypeIsRefused() {
        assertThrows(ConfigException.class, () -> GatewayConfig.parse("", Map.of("MAAS_PORT", "0",
                "MAAS_STORE", "postgresql")));
        assertThrows(ConfigException.class, () -> GatewayConfig.parse("store: {type: mongodb}\n", Map.of()));
        GatewayConfig pg = GatewayConfig.parse("", Map.of("MAAS_DB_URL", "jdbc:postgresql://db:5432/maas"));
        assertEquals(GatewayConfig.StoreType.POSTGRESQL, pg.store().type(), "a database URL selects PostgreSQL");
    }

    /** Settlement follows the response's last byte by a moment: wait for it, bounded. */
    private static long awaitUsage(Gateway gateway, long atLeast) {
        return eventually("at least " + atLeast + " tokens settled").until(() -> {
            gateway.engine().usage().flush(Duration.ofSeconds(5));
            return usage(gateway);
        }, total -> total >= atLeast);
    }

    private static long usage(Gateway gateway) {
        return gateway.store().totals(UsageQuery.between(Instant.EPOCH, Instant.now().plusSeconds(60))).totalTokens();
    }

    private HttpResponse<String> chat(URI base, String key) throws Exception {
        String body = "{\"model\":\"demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
