package dev.maas4j.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.maas4j.management.ManagementFixture.ADMIN;
import static dev.maas4j.management.ManagementFixture.ALICE;
import static dev.maas4j.management.ManagementFixture.AUDITOR;
import static dev.maas4j.management.ManagementFixture.BOB;
import static dev.maas4j.management.ManagementFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Usage of a key, usage across keys and the CSV export, after leases settled through the engine. */
class ManagementUsageTest {
    private static final String ODD_MODEL = "we\"ird,model";
    private ManagementFixture f;
    private String aliceKeyId;

    @BeforeEach
    void start() throws Exception {
        f = new ManagementFixture();
        f.store.putModel(ModelRef.builder(ODD_MODEL).price(ModelPrice.usd("1", "2")).build());
        f.store.putPolicy(AuthPolicy.of("odd-access", SubjectSet.users("bob"), ODD_MODEL));
        f.store.putSubscription(Subscription.builder("odd").owner(SubjectSet.users("bob"))
                .model(ODD_MODEL, RateLimit.of(1_000_000, "1h")).build());
        f.engine.catalog().refresh();

        JsonNode alice = f.createKey(ALICE, "{\"name\":\"alice-app\"}");
        aliceKeyId = alice.get("id").asText();
        String bob = f.createKey(BOB, "{\"name\":\"bob-app\",\"subscription\":\"odd\"}").get("key").asText();
        f.use(alice.get("key").asText(), "granite", 100, 50, 200);      // 10:30
        f.use(bob, ODD_MODEL, 1_000, 1_000, 200);
        f.time.advance(Duration.ofHours(2));
        f.use(alice.get("key").asText(), "granite", 10, 5, 200);        // 12:30
        f.use(alice.get("key").asText(), "granite", 10, 5, 502);        // upstream failed: not charged
        f.time.advance(Duration.ofMinutes(1));                            // now is after the last request
        f.flushUsage();
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void keyUsageHasTotalsAndADenseSeries() throws Exception {
        ManagementFixture.Response r = f.get("/api-keys/" + aliceKeyId + "/usage?range=24h", ALICE);
        assertEquals(200, r.status(), r::toString);
        JsonNode usage = r.json();
        assertEquals(aliceKeyId, usage.get("keyId").asText());
        assertEquals("24h", usage.get("range").asText());
        assertEquals("hour", usage.get("granularity").asText());
        assertEquals("2026-03-01T13:00:00Z", usage.get("from").asText(), "aligned: 24 buckets, the last partial");
        assertEquals(START.plus(Duration.ofMinutes(121)).toString(), usage.get("to").asText());
        assertEquals("USD", usage.get("currency").asText());
        JsonNode totals = usage.get("totals");
        assertEquals(3, totals.get("requests").asLong());
        assertEquals(2.0 / 3, totals.get("successRate").asDouble(), 1e-9);
        assertEquals(110, totals.get("promptTokens").asLong());
        assertEquals(55, totals.get("completionTokens").asLong());
        assertEquals(165, totals.get("totalTokens").asLong());
        assertTrue(totals.get("cost").isTextual(), "money is a decimal string");
        assertEquals("0.0000495", totals.get("cost").asText(), "110 x 0.15 + 55 x 0.60 per million, exactly");

        JsonNode series = usage.get("series");
        assertEquals(24, series.size());
        assertEquals("2026-03-02T10:00:00Z", series.get(21).get("start").asText());
        assertEquals(1, series.get(21).get("requests").asLong());
        assertEquals(150, series.get(21).get("totalTokens").asLong());
        assertEquals(2, series.get(23).get("requests").asLong());
        assertEquals(0.5, series.get(23).get("successRate").asDouble(), 1e-9);
        assertEquals(0, series.get(0).get("requests").asLong());
        assertEquals(0.0, series.get(0).get("successRate").asDouble(), "0 when there was no request");
        assertEquals("0", series.get(0).get("cost").asText());

        JsonNode week = f.get("/api-keys/" + aliceKeyId + "/usage?range=7d", ALICE).json();
        assertEquals("day", week.get("granularity").asText());
        assertEquals(7, week.get("series").size());
        assertEquals("2026-02-24T00:00:00Z", week.get("from").asText());
        assertEquals(3, week.get("series").get(6).get("requests").asLong());
        assertEquals(30, f.get("/api-keys/" + aliceKeyId + "/usage?range=30d", ALICE).json().get("series").size());

        for (String bad : new String[]{"", "?range=1y", "?range=48h"}) {
            ManagementFixture.Response invalid = f.get("/api-keys/" + aliceKeyId + "/usage" + bad, ALICE);
            assertEquals(400, invalid.status(), invalid::toString);
            assertEquals("range", invalid.json().at("/error/param").asText());
            assertEquals("range must be one of 24h, 7d, 30d", invalid.message());
        }
        assertEquals(404, f.get("/api-keys/" + aliceKeyId + "/usage?range=24h", BOB).status());
        assertEquals(200, f.get("/api-keys/" + aliceKeyId + "/usage?range=24h", AUDITOR).status());
    }

    @Test
    void adminsSeeUsageAcrossUsersModelsAndSubscriptions() throws Exception {
        ManagementFixture.Response r = f.get("/usage?groupBy=model,user", ADMIN);
        assertEquals(200, r.status(), r::toString);
        JsonNode report = r.json();
        assertEquals(START.plus(Duration.ofMinutes(121)).minus(Duration.ofHours(24)).toString(),
                report.get("from").asText(), "the last 24 hours by default");
        assertEquals(List.of("model", "user"), List.of(report.get("groupBy").get(0).asText(),
                report.get("groupBy").get(1).asText()));
        assertEquals(4, report.at("/totals/requests").asLong());
        assertEquals(2165, report.at("/totals/totalTokens").asLong());
        assertEquals("USD", report.get("currency").asText(), "every priced model is in USD");
        JsonNode groups = report.get("groups");
        assertEquals(2, groups.size());
        assertEquals(ODD_MODEL, groups.get(0).at("/dimensions/model").asText(), "most tokens first");
        assertEquals("bob", groups.get(0).at("/dimensions/user").asText());
        assertEquals("0.003", groups.get(0).at("/totals/cost").asText());
        assertEquals("granite", groups.get(1).at("/dimensions/model").asText());
        assertEquals(165, groups.get(1).at("/totals/totalTokens").asLong());

        JsonNode byGroup = f.get("/usage?groupBy=group&user=alice", ADMIN).json();
        List<String> names = new ArrayList<>();
        byGroup.get("groups").forEach(g -> names.add(g.at("/dimensions/group").asText()));
        assertEquals(List.of("=team,x", "dev"), names.stream().sorted().toList(),
                "a request counts once per group of its user");
        assertEquals(3, byGroup.at("/totals/requests").asLong());
        assertEquals(0, f.get("/usage", ADMIN).json().get("groups").size(), "no groupBy: totals only");

        String from = URLEncoder.encode("2026-03-02T11:00:00Z", StandardCharsets.UTF_8);
        JsonNode window = f.get("/usage?from=" + from + "&subscription=premium", AUDITOR).json();
        assertEquals(2, window.at("/totals/requests").asLong());

        assertEquals(403, f.get("/usage", ALICE).status());
        ManagementFixture.Response backwards = f.get("/usage?from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z", ADMIN);
        assertEquals(400, backwards.status());
        assertEquals("from", backwards.json().at("/error/param").asText());
        ManagementFixture.Response unknown = f.get("/usage?groupBy=model,planet", ADMIN);
        assertEquals(400, unknown.status());
        assertEquals("groupBy", unknown.json().at("/error/param").asText());
    }

    @Test
    void csvExportStreamsEveryEventWithProperEscaping() throws Exception {
        ManagementFixture.Response r = f.get("/usage/export.csv", ADMIN);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
        assertTrue(r.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment; filename="));
        List<List<String>> rows = parseCsv(r.body());
        assertEquals(5, rows.size(), r.body());
        List<String> header = rows.get(0);
        assertEquals("request_id", header.get(0));
        int user = header.indexOf("user");
        int groups = header.indexOf("groups");
        int model = header.indexOf("model");
        int cost = header.indexOf("cost");
        int outcome = header.indexOf("outcome");
        for (List<String> row : rows) {
            assertEquals(header.size(), row.size(), row::toString);
        }
        List<String> bobRow = rows.stream().filter(row -> row.get(user).equals("bob")).findFirst().orElseThrow();
        assertEquals(ODD_MODEL, bobRow.get(model), "quotes and commas survive a round trip");
        assertEquals("0.003", bobRow.get(cost));
        List<String> aliceRow = rows.stream().filter(row -> row.get(user).equals("alice")).findFirst().orElseThrow();
        assertEquals("'=team,x;dev", aliceRow.get(groups), "a formula-like value is defused for spreadsheets");
        assertTrue(r.body().contains("\"we\"\"ird,model\""), "RFC 4180 quoting");
        assertTrue(rows.stream().anyMatch(row -> row.get(outcome).equals("upstream_error")));
        assertTrue(r.body().contains("\r\n"));

        List<List<String>> onlyBob = parseCsv(f.get("/usage/export.csv?user=bob", ADMIN).body());
        assertEquals(2, onlyBob.size());
        assertEquals(403, f.get("/usage/export.csv", ALICE).status());
    }

    /** A strict RFC 4180 reader, to check what a spreadsheet would see. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        if (!row.isEmpty() || !field.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
