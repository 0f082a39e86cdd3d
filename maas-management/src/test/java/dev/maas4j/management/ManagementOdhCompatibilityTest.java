package dev.maas4j.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.maas4j.management.ManagementFixture.ADMIN;
import static dev.maas4j.management.ManagementFixture.ALICE;
import static dev.maas4j.management.ManagementFixture.BOB;
import static dev.maas4j.management.ManagementFixture.JSON;
import static dev.maas4j.management.ManagementFixture.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Open Data Hub's requests, and Open Data Hub's answers (issue 12): each test sends what a client
 * written for ODH's maas-api sends and checks what that maas-api answers.
 */
class ManagementOdhCompatibilityTest {
    private ManagementFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ManagementFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private ManagementFixture.Response withKey(String path, String secret) throws Exception {
        return f.sendWith("GET", path, null, "Authorization", "Bearer " + secret);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.get(field).asText()));
        return result;
    }

    // ------------------------------------------------------------------ 1. API keys on the three reads

    @Test
    void anApiKeyListsTheModelsAndSubscriptionOfItsOwnSubscription() throws Exception {
        String secret = f.createKey(ALICE, "{\"name\":\"k\",\"subscription\":\"free\"}").get("key").asText();

        ManagementFixture.Response models = withKey("/models", secret);
        assertEquals(200, models.status(), models::toString);
        assertEquals(List.of("granite", "llama"), texts(models.json().get("data"), "id"));
        models.json().get("data").forEach(m -> assertEquals(List.of("free"), texts(m.get("subscriptions"), "name"),
                "only the key's subscription, though premium (alice's best) covers granite too"));
        assertFalse(models.json().at("/data/0").has("endpoints"), "ODH properties only");

        ManagementFixture.Response subscriptions = withKey("/subscriptions", secret);
        assertEquals(200, subscriptions.status(), subscriptions::toString);
        assertEquals(List.of("free"), texts(subscriptions.json(), "subscription_id_header"));

        ManagementFixture.Response forModel = withKey("/model/granite/subscriptions", secret);
        assertEquals(200, forModel.status(), forModel::toString);
        assertEquals(List.of("free"), texts(forModel.json(), "subscription_id_header"));
    }

    @Test
    void anApiKeyWhoseSubscriptionWasDeletedIs403() throws Exception {
        String secret = f.createKey(ALICE, "{\"name\":\"k\",\"subscription\":\"premium\"}").get("key").asText();
        f.engine.catalog().removeSubscription("premium");

        ManagementFixture.Response r = withKey("/models", secret);
        assertEquals(403, r.status(), r::toString);
        assertEquals("permission_error", r.json().at("/error/type").asText());
        assertEquals("subscription not found", r.message());
    }

    @Test
    void aRevokedExpiredOrUnknownApiKeyStays401() throws Exception {
        JsonNode revoked = f.createKey(ALICE, "{\"name\":\"r\"}");
        f.delete("/api-keys/" + revoked.get("id").asText(), ALICE);
        ManagementFixture.Response r = withKey("/models", revoked.get("key").asText());
        assertEquals(401, r.status(), r::toString);
        assertEquals("revoked_api_key", r.json().at("/error/code").asText());

        String expiring = f.createKey(ALICE, "{\"name\":\"e\",\"expiresIn\":\"1h\"}").get("key").asText();
        f.time.advance(Duration.ofHours(2));
        assertEquals("expired_api_key", withKey("/subscriptions", expiring).json().at("/error/code").asText());

        ManagementFixture.Response unknown = withKey("/models",
                "sk-oai-AAAAAAAAAAAAAAAAAAAAAA_" + "B".repeat(43));
        assertEquals(401, unknown.status(), unknown::toString);
    }

    @Test
    void anApiKeyIsStillRefusedOnEveryOtherOperation() throws Exception {
        String secret = f.createKey(ALICE, "{\"name\":\"k\"}").get("key").asText();
        for (String path : new String[]{"/api-keys", "/api-keys/config", "/models/granite", "/usage", "/nowhere"}) {
            ManagementFixture.Response r = withKey(path, secret);
            assertEquals(401, r.status(), () -> path + " -> " + r);
            assertEquals("api_key_not_accepted", r.json().at("/error/code").asText());
        }
    }

    // ------------------------------------------------------------------ 2. model url

    @Test
    void aModelsUrlIsTheBaseClientsAppendV1To() throws Exception {
        JsonNode granite = f.get("/models", ALICE).json().at("/data/0");
        assertEquals(f.base.resolve("/") + "default/granite", granite.get("url").asText());
        String id = f.createKey(ALICE, "{\"name\":\"k\"}").get("id").asText();
        assertEquals(granite.get("url").asText(),
                f.get("/api-keys/" + id, ALICE).json().at("/assets/models/0/endpoint").asText(),
                "a key's assets show the same URL");
    }

    // ------------------------------------------------------------------ 3. revoking twice

    @Test
    void revokingARevokedKeyIs404() throws Exception {
        String id = f.createKey(ALICE, "{\"name\":\"k\"}").get("id").asText();
        assertEquals(200, f.delete("/api-keys/" + id, ALICE).status());

        ManagementFixture.Response again = f.delete("/api-keys/" + id, ALICE);
        assertEquals(404, again.status(), again::toString);
        assertEquals("not_found_error", again.json().at("/error/type").asText());
        assertEquals("revoked", f.get("/api-keys/" + id, ALICE).json().get("status").asText(),
                "the key itself is unchanged");
    }

    // ------------------------------------------------------------------ 4. labelsContain, unknown properties

    @Test
    void searchFiltersByLabelsContain() throws Exception {
        f.createKey(ALICE, "{\"name\":\"prod\",\"labels\":{\"env\":\"prod\",\"team\":\"search\"}}");
        f.createKey(ALICE, "{\"name\":\"dev\",\"labels\":{\"env\":\"dev\"}}");

        ManagementFixture.Response r = f.post("/api-keys/search", ALICE,
                "{\"filters\":{\"labelsContain\":{\"env\":\"prod\"}}}");
        assertEquals(200, r.status(), r::toString);
        assertEquals(List.of("prod"), texts(r.json().get("data"), "name"));
    }

    @Test
    void unknownRequestPropertiesAreIgnoredAndWrongTypesStill400() throws Exception {
        ManagementFixture.Response created = f.post("/api-keys", ALICE,
                "{\"name\":\"k\",\"colour\":\"blue\",\"limits\":{\"rpm\":5},\"status\":\"active\"}");
        assertEquals(201, created.status(), created::toString);
        // what a client read, sent back
        JsonNode read = f.get("/api-keys/" + created.json().get("id").asText(), ALICE).json();
        assertEquals(200, f.post("/api-keys/search", ALICE, "{\"filters\":{\"status\":[\"active\"]},"
                + "\"object\":\"list\",\"data\":" + JSON.writeValueAsString(List.of(read)) + "}").status());
        ManagementFixture.Response bulk = f.post("/api-keys/bulk-revoke", ALICE,
                "{\"username\":\"alice\",\"dryRun\":true,\"reason\":\"cleanup\"}");
        assertEquals(200, bulk.status(), bulk::toString);

        ManagementFixture.Response wrongType = f.post("/api-keys", ALICE, "{\"name\":\"k\",\"limits\":{\"requestsPerMinute\":\"ten\"}}");
        assertEquals(400, wrongType.status(), wrongType::toString);
        assertEquals("limits.requestsPerMinute", wrongType.json().at("/error/param").asText());
        ManagementFixture.Response wrongSearch = f.post("/api-keys/search", ALICE, "{\"filters\":{\"labelsContain\":[1]}}");
        assertEquals(400, wrongSearch.status(), wrongSearch::toString);
        assertEquals("filters.labelsContain", wrongSearch.json().at("/error/param").asText());
    }

    // ------------------------------------------------------------------ 5. label limits

    @Test
    void labelLimitsAreOpenDataHubs() throws Exception {
        Map<String, String> fifty = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            fifty.put("k" + i, "v");
        }
        assertEquals(201, f.post("/api-keys", ALICE, "{\"name\":\"k\",\"labels\":" + JSON.writeValueAsString(fifty)
                + "}").status());
        fifty.put("one-more", "v");
        assertEquals(400, f.post("/api-keys", ALICE, "{\"name\":\"k\",\"labels\":" + JSON.writeValueAsString(fifty)
                + "}").status());

        String key128 = "k" + "x".repeat(127);
        assertEquals(201, f.post("/api-keys", ALICE, "{\"name\":\"k\",\"labels\":{\"" + key128 + "\":\""
                + "v".repeat(1024) + "\"}}").status());
        ManagementFixture.Response longKey = f.post("/api-keys", ALICE, "{\"name\":\"k\",\"labels\":{\"" + key128
                + "x\":\"v\"}}");
        assertEquals(400, longKey.status());
        assertTrue(longKey.message().contains("1 to 128"), longKey::toString);
        ManagementFixture.Response longValue = f.post("/api-keys", ALICE, "{\"name\":\"k\",\"labels\":{\"a\":\""
                + "v".repeat(1025) + "\"}}");
        assertEquals(400, longValue.status());
        assertEquals("labels.a must be at most 1024 characters", longValue.message());
    }

    // ------------------------------------------------------------------ 6. expiresIn

    @Test
    void expiresInAcceptsGoDurationsAndPlainSeconds() throws Exception {
        Map<String, Duration> cases = Map.of("1s", Duration.ofSeconds(1), "1h30m", Duration.ofMinutes(90),
                "2h45m30s", Duration.ofSeconds(9930), "3600", Duration.ofHours(1), "30d", Duration.ofDays(30));
        for (Map.Entry<String, Duration> c : cases.entrySet()) {
            JsonNode created = f.createKey(ALICE, "{\"name\":\"k\",\"expiresIn\":\"" + c.getKey() + "\"}");
            assertEquals(START.plus(c.getValue()).toString(), created.get("expiresAt").asText(), c.getKey());
        }
        ManagementFixture.Response tooLong = f.post("/api-keys", ALICE, "{\"name\":\"k\",\"expiresIn\":\"2160h1s\"}");
        assertEquals(400, tooLong.status());
        assertEquals("expiresIn exceeds the maximum of 90d", tooLong.message());
    }

    // ------------------------------------------------------------------ 7. sort order, page size

    @Test
    void sortOrderInAnyCaseAndAnOversizedPageAreAccepted() throws Exception {
        f.createKey(ALICE, "{\"name\":\"first\"}");
        f.time.advance(Duration.ofSeconds(1));
        f.createKey(ALICE, "{\"name\":\"second\"}");

        ManagementFixture.Response r = f.post("/api-keys/search", ALICE,
                "{\"sort\":{\"by\":\"created_at\",\"order\":\"DESC\"},\"pagination\":{\"limit\":500}}");
        assertEquals(200, r.status(), r::toString);
        assertEquals(List.of("second", "first"), texts(r.json().get("data"), "name"));
        assertEquals(List.of("first", "second"), texts(f.post("/api-keys/search", ALICE,
                "{\"sort\":{\"order\":\"Asc\"}}").json().get("data"), "name"));
    }

    @Test
    void anOversizedPageIsCappedToTheLargestPage() throws Exception {
        for (int i = 0; i < 101; i++) {
            f.engine.keys().create(dev.maas4j.core.KeyRequest.builder(dev.maas4j.api.Subject.user("alice"), "k" + i)
                    .subscription("free").build());
        }
        JsonNode page = f.post("/api-keys/search", ALICE, "{\"pagination\":{\"limit\":1000}}").json();
        assertEquals(100, page.get("data").size());
        assertTrue(page.get("has_more").asBoolean());
    }

    // ------------------------------------------------------------------ 8. subscriptions

    @Test
    void subscriptionsShowOnlyAuthorizedModelsAndAlwaysADescription() throws Exception {
        // mistral is in premium and in alice's "orphan", but no auth policy grants it
        f.engine.catalog().putModel(ModelRef.builder("mistral").build());
        f.engine.catalog().putSubscription(Subscription.builder("premium").priority(10)
                .owner(SubjectSet.users("alice")).model("granite", RateLimit.of(500_000, "1h"))
                .model("mistral", RateLimit.of(1_000, "1m")).build());
        f.engine.catalog().putSubscription(Subscription.builder("orphan").owner(SubjectSet.users("alice"))
                .model("mistral", RateLimit.of(1_000, "1m")).build());

        JsonNode list = f.get("/subscriptions", ALICE).json();
        assertEquals(List.of("premium", "free"), texts(list, "subscription_id_header"),
                "orphan grants nothing alice may use: left out");
        assertEquals(List.of("granite"), texts(list.get(0).get("model_refs"), "name"), "mistral is not authorized");
        list.forEach(s -> assertEquals("", s.get("subscription_description").asText(), s::toString));
        assertTrue(list.get(0).get("subscription_description").isTextual());

        assertEquals(List.of(), texts(f.get("/model/mistral/subscriptions", ALICE).json(), "subscription_id_header"));
        JsonNode forAdmin = f.get("/subscriptions", ADMIN).json();
        assertEquals(3, forAdmin.size(), "an admin sees every subscription as it is");
    }

    // ------------------------------------------------------------------ 9. error shape

    @Test
    void aKeyMintFailureCarriesItsCodeWhereEitherClientReadsIt() throws Exception {
        ManagementFixture.Response r = f.post("/api-keys", BOB, "{\"name\":\"k\",\"subscription\":\"premium\"}");
        assertEquals(400, r.status());
        assertEquals("invalid_subscription", r.json().get("code").asText(), "ODH's handlers: body.code");
        assertEquals("invalid_subscription", r.json().at("/error/code").asText(), "OpenAPI: body.error.code");
        assertEquals("invalid_request_error", r.json().at("/error/type").asText());
    }

    // ------------------------------------------------------------------ 10. active keys per subscription

    @Test
    void aUserHoldsAtMostNActiveKeysPerSubscription() throws Exception {
        f.close();
        f = new ManagementFixture(b -> b.maxActiveKeysPerSubscription(2), null, null);
        f.createKey(ALICE, "{\"name\":\"a\",\"subscription\":\"free\"}");
        String second = f.createKey(ALICE, "{\"name\":\"b\",\"subscription\":\"free\"}").get("id").asText();

        ManagementFixture.Response third = f.post("/api-keys", ALICE, "{\"name\":\"c\",\"subscription\":\"free\"}");
        assertEquals(409, third.status(), third::toString);
        assertEquals("key_limit_reached", third.json().get("code").asText());
        assertTrue(third.message().contains("the maximum of 2"), third::toString);
        assertEquals(201, f.post("/api-keys", ALICE, "{\"name\":\"p\",\"subscription\":\"premium\"}").status(),
                "the limit is per subscription");
        assertEquals(201, f.post("/api-keys", BOB, "{\"name\":\"b\",\"subscription\":\"free\"}").status(),
                "and per user");

        f.delete("/api-keys/" + second, ALICE);
        assertEquals(201, f.post("/api-keys", ALICE, "{\"name\":\"c\",\"subscription\":\"free\"}").status(),
                "revoking one frees a slot");
    }

    // ------------------------------------------------------------------ 11. rotation

    @Test
    void rotationGivesANewSecretAndTheOldOneWorksDuringTheOverlapOnly() throws Exception {
        JsonNode created = f.createKey(ALICE, "{\"name\":\"ci\",\"subscription\":\"free\",\"labels\":{\"env\":\"ci\"}}");
        String id = created.get("id").asText();
        String old = created.get("key").asText();
        f.use(old, "granite", 100, 20, 200);
        f.flushUsage();

        ManagementFixture.Response rotated = f.post("/api-keys/" + id + "/rotate", ALICE, "{\"overlap\":\"10m\"}");
        assertEquals(200, rotated.status(), rotated::toString);
        JsonNode body = rotated.json();
        String fresh = body.get("key").asText();
        assertEquals(id, body.get("id").asText(), "the same key");
        assertFalse(fresh.equals(old));
        assertTrue(fresh.startsWith("sk-oai-" + id + "_"), fresh);
        assertEquals(created.get("expiresAt"), body.get("expiresAt"), "its settings are kept");
        assertEquals("ci", body.at("/labels/env").asText());
        assertEquals(START.plus(Duration.ofMinutes(10)).toString(), body.get("previousKeyValidUntil").asText());

        assertTrue(f.engine.authenticate(fresh).succeeded(), "the new secret authenticates");
        assertTrue(f.engine.authenticate(old).succeeded(), "the old one still does, during the overlap");
        f.use(old, "granite", 100, 20, 200);
        f.use(fresh, "granite", 100, 20, 200);
        f.time.advance(Duration.ofMinutes(10));
        assertFalse(f.engine.authenticate(old).succeeded(), "the overlap is over");
        assertTrue(f.engine.authenticate(fresh).succeeded());

        f.flushUsage();
        JsonNode usage = f.get("/api-keys/" + id + "/usage?range=24h", ALICE).json();
        assertEquals(3, usage.at("/totals/requests").asLong(), "usage before and after the rotation: " + usage);
        assertEquals(1, f.audit.list(START.minusSeconds(1), START.plus(Duration.ofDays(1)), 100).stream()
                .filter(e -> e.action().equals("api_key.rotate")).count());
    }

    @Test
    void withoutAnOverlapTheOldSecretStopsAtOnce() throws Exception {
        JsonNode created = f.createKey(ALICE, "{\"name\":\"k\"}");
        String old = created.get("key").asText();
        assertTrue(f.engine.authenticate(old).succeeded());

        ManagementFixture.Response rotated = f.post("/api-keys/" + created.get("id").asText() + "/rotate", ALICE, null);
        assertEquals(200, rotated.status(), rotated::toString);
        assertFalse(rotated.json().has("previousKeyValidUntil"));
        assertFalse(f.engine.authenticate(old).succeeded());
        assertTrue(f.engine.authenticate(rotated.json().get("key").asText()).succeeded());
    }

    @Test
    void onlyAnActiveVisibleKeyIsRotated() throws Exception {
        String id = f.createKey(ALICE, "{\"name\":\"k\"}").get("id").asText();
        assertEquals(404, f.post("/api-keys/" + id + "/rotate", BOB, "{}").status(), "another user's key");
        ManagementFixture.Response bad = f.post("/api-keys/" + id + "/rotate", ALICE, "{\"overlap\":\"8d\"}");
        assertEquals(400, bad.status(), bad::toString);
        assertEquals("overlap", bad.json().at("/error/param").asText());
        f.delete("/api-keys/" + id, ALICE);
        assertEquals(404, f.post("/api-keys/" + id + "/rotate", ALICE, "{}").status(), "a revoked key");
        assertEquals(404, f.post("/api-keys/nope/rotate", ALICE, "{}").status());
    }
}
