package dev.maas4j.management;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import dev.maas4j.api.AuditEvent;
import dev.maas4j.api.DenialReason;
import dev.maas4j.core.Authentication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.maas4j.testing.TestData.eventually;
import static dev.maas4j.management.ManagementFixture.ADMIN;
import static dev.maas4j.management.ManagementFixture.ALICE;
import static dev.maas4j.management.ManagementFixture.AUDITOR;
import static dev.maas4j.management.ManagementFixture.BOB;
import static dev.maas4j.management.ManagementFixture.START;
import static dev.maas4j.management.ManagementFixture.VIEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api-keys} over real HTTP: creation, visibility by role, revocation, search, bulk revocation, audit. */
class ManagementApiKeysTest {
    private ManagementFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ManagementFixture();
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void createdKeyAuthenticatesAndItsSecretIsShownOnlyInTheCreateResponse() throws Exception {
        ManagementFixture.Response created = f.post("/api-keys", ALICE,
                "{\"name\":\"ci\",\"description\":\"pipeline\",\"subscription\":\"premium\",\"expiresIn\":\"30d\","
                        + "\"labels\":{\"team\":\"search\"},\"limits\":{\"requestsPerMinute\":60,\"budget\":\"25.00\","
                        + "\"budgetPeriod\":\"month\"}}");
        assertEquals(201, created.status(), created::toString);
        JsonNode body = created.json();
        String secret = body.get("key").asText();
        String id = body.get("id").asText();
        assertTrue(secret.startsWith("sk-oai-" + id + "_"), secret);
        assertTrue(secret.startsWith(body.get("keyPrefix").asText()), "keyPrefix is the key's start: " + body);
        assertTrue(body.get("keyPrefix").asText().length() > "sk-oai-".length(), body::toString);
        assertEquals(body.get("keyPrefix").asText(), f.get("/api-keys/" + id, ALICE).json().get("keyPrefix").asText());
        assertEquals("ci", body.get("name").asText());
        assertEquals("premium", body.get("subscription").asText());
        assertEquals(START.toString(), body.get("createdAt").asText());
        assertEquals(START.plus(Duration.ofDays(30)).toString(), body.get("expiresAt").asText());
        assertFalse(body.get("ephemeral").asBoolean());
        assertEquals("25.00", body.at("/limits/budget").asText(), "money is a decimal string");
        assertTrue(body.at("/limits/budget").isTextual());
        assertEquals("search", body.at("/labels/team").asText());
        assertEquals("pipeline", body.get("description").asText());

        Authentication auth = f.engine.authenticate(secret);
        assertTrue(auth.succeeded());
        assertEquals(id, auth.key().orElseThrow().id());

        String secretPart = secret.substring(secret.indexOf('_') + 1);
        for (ManagementFixture.Response r : List.of(f.get("/api-keys/" + id, ALICE), f.get("/api-keys", ALICE),
                f.post("/api-keys/search", ALICE, "{}"), f.get("/api-keys", ADMIN), f.get("/audit", ADMIN))) {
            assertEquals(200, r.status(), r::toString);
            assertFalse(r.body().contains(secretPart), "the secret must never be shown again: " + r.body());
            assertFalse(r.body().contains("secretHash"), r.body());
        }
        JsonNode details = f.get("/api-keys/" + id, ALICE).json();
        assertEquals("active", details.get("status").asText());
        assertEquals("alice", details.get("username").asText());
        assertEquals("pipeline", details.get("description").asText());
        assertEquals("premium", details.get("subscription").asText());
        assertEquals(List.of("=team,x", "dev"), List.of(details.get("groups").get(0).asText(),
                details.get("groups").get(1).asText()), "the owner's groups at creation");
        assertTrue(details.path("labels").path("maas4j.dev/groups").isMissingNode());
        assertEquals(60, details.at("/limits/requestsPerMinute").asInt());
    }

    @Test
    void keyDetailsShowAssetsWithEndpointsPoliciesLimitsAndLastUse() throws Exception {
        JsonNode created = f.createKey(ALICE, "{\"name\":\"scoped\",\"models\":[\"granite\"],"
                + "\"limits\":{\"tokensPerMinute\":1000}}");
        String id = created.get("id").asText();
        JsonNode details = f.get("/api-keys/" + id, ALICE).json();
        assertTrue(details.get("lastUsedAt") == null || details.get("lastUsedAt").isNull());
        JsonNode models = details.at("/assets/models");
        assertEquals(1, models.size(), details::toString);
        assertEquals("granite", models.get(0).get("id").asText());
        assertEquals(f.base.resolve("/").toString() + "default/granite", models.get(0).get("endpoint").asText());
        assertEquals("premium", models.get(0).get("subscriptions").get(0).asText(), "best subscription first");
        List<String> kinds = new ArrayList<>();
        details.get("policies").forEach(p -> kinds.add(p.get("kind").asText() + ":" + p.get("id").asText()));
        assertEquals(List.of("authPolicy:dev-access", "subscription:premium", "keyLimits:key-limits"), kinds,
                "the key is bound to alice's best subscription, premium");

        f.time.advance(Duration.ofMinutes(5));
        f.use(created.get("key").asText(), "granite", 10, 5, 200);
        Instant used = START.plus(Duration.ofMinutes(5));
        // the engine writes last-used times to the store from its own thread
        String lastUsed = eventually("the key's last use is recorded").until(
                () -> f.get("/api-keys/" + id, ALICE).json().path("lastUsedAt").asText(null), Objects::nonNull);
        assertEquals(used.toString(), lastUsed);
    }

    @Test
    void aUserSeesAndRevokesOnlyTheirOwnKeysAnotherUsersKeyIsNotFound() throws Exception {
        String aliceKey = f.createKey(ALICE, "{\"name\":\"a\"}").get("id").asText();
        String bobKey = f.createKey(BOB, "{\"name\":\"b\"}").get("id").asText();

        JsonNode aliceList = f.get("/api-keys", ALICE).json();
        assertEquals(1, aliceList.get("data").size());
        assertEquals(aliceKey, aliceList.get("data").get(0).get("id").asText());
        assertEquals("list", aliceList.get("object").asText());
        assertFalse(aliceList.get("has_more").asBoolean());

        for (ManagementFixture.Response r : List.of(f.get("/api-keys/" + aliceKey, BOB),
                f.delete("/api-keys/" + aliceKey, BOB), f.get("/api-keys/" + aliceKey + "/usage", BOB),
                f.get("/api-keys/doesnotexist", BOB))) {
            assertEquals(404, r.status(), r::toString);
            assertEquals("not_found_error", r.json().at("/error/type").asText());
            assertEquals("key_not_found", r.json().at("/error/code").asText());
        }
        assertEquals(f.get("/api-keys/doesnotexist", BOB).message().replace("doesnotexist", aliceKey),
                f.get("/api-keys/" + aliceKey, BOB).message(), "another user's key looks exactly like a missing one");
        assertTrue(f.engine.keys().find(aliceKey).orElseThrow().revokedAt().isEmpty());

        JsonNode all = f.get("/api-keys", ADMIN).json();
        assertEquals(2, all.get("data").size());
        assertEquals(200, f.get("/api-keys/" + bobKey, AUDITOR).status());
    }

    @Test
    void revokedKeyIsRejectedOnTheNextRequest() throws Exception {
        JsonNode created = f.createKey(ALICE, "{\"name\":\"short-lived\"}");
        String secret = created.get("key").asText();
        String id = created.get("id").asText();
        f.use(secret, "granite", 10, 10, 200);

        ManagementFixture.Response revoked = f.delete("/api-keys/" + id, ALICE);
        assertEquals(200, revoked.status(), revoked::toString);
        assertEquals("revoked", revoked.json().get("status").asText());
        assertEquals(START.toString(), revoked.json().get("revokedAt").asText());

        Authentication auth = f.engine.authenticate(secret);
        assertFalse(auth.succeeded());
        assertEquals(DenialReason.REVOKED_KEY, auth.denial().orElseThrow().reason());
        assertEquals(404, f.delete("/api-keys/" + id, ALICE).status(), "a revoked key is not found, as in ODH");
        assertEquals("revoked", f.get("/api-keys/" + id, ALICE).json().get("status").asText());
    }

    @Test
    void adminReadonlyReadsEverythingAndChangesNothing() throws Exception {
        String aliceKey = f.createKey(ALICE, "{\"name\":\"a\"}").get("id").asText();

        assertEquals(1, f.get("/api-keys", AUDITOR).json().get("data").size());
        assertEquals(200, f.get("/api-keys/" + aliceKey, AUDITOR).status());
        assertEquals(200, f.get("/audit", AUDITOR).status());

        ManagementFixture.Response delete = f.delete("/api-keys/" + aliceKey, AUDITOR);
        assertEquals(403, delete.status(), delete::toString);
        assertEquals("permission_error", delete.json().at("/error/type").asText());
        assertEquals(403, f.post("/api-keys", AUDITOR, "{\"name\":\"mine\"}").status());
        assertEquals(403, f.post("/api-keys/bulk-revoke", AUDITOR, "{\"username\":\"alice\"}").status());
        assertEquals(403, f.post("/models", AUDITOR, "{\"name\":\"x\"}").status());
        assertTrue(f.engine.keys().find(aliceKey).orElseThrow().revokedAt().isEmpty());

        // a person who also holds the user role manages their own keys, still nobody else's
        String viewerKey = f.createKey(VIEWER, "{\"name\":\"own\"}").get("id").asText();
        assertEquals(403, f.delete("/api-keys/" + aliceKey, VIEWER).status());
        assertEquals(200, f.delete("/api-keys/" + viewerKey, VIEWER).status());

        assertEquals(200, f.delete("/api-keys/" + aliceKey, ADMIN).status(), "an admin may revoke any key");
    }

    @Test
    void adminsCreateKeysForOtherOwnersUsersMayNot() throws Exception {
        ManagementFixture.Response forGroup = f.post("/api-keys", ADMIN,
                "{\"name\":\"shared\",\"owner\":{\"type\":\"group\",\"name\":\"dev\"},\"subscription\":\"free\"}");
        assertEquals(201, forGroup.status(), forGroup::toString);
        JsonNode key = f.get("/api-keys/" + forGroup.json().get("id").asText(), ADMIN).json();
        assertEquals("group", key.get("ownerType").asText());
        assertEquals("dev", key.get("username").asText());

        ManagementFixture.Response forBob = f.post("/api-keys", ALICE,
                "{\"name\":\"sneaky\",\"owner\":{\"type\":\"user\",\"name\":\"bob\"}}");
        assertEquals(403, forBob.status(), forBob::toString);
        assertEquals(201, f.post("/api-keys", ALICE, "{\"name\":\"self\",\"owner\":{\"name\":\"alice\"}}").status());
    }

    @Test
    void searchFiltersSortsAndPages() throws Exception {
        for (String name : List.of("delta", "alpha", "charlie", "bravo")) {
            f.createKey(ALICE, "{\"name\":\"" + name + "\",\"labels\":{\"env\":\"" + (name.equals("alpha") ? "prod" : "dev")
                    + "\"}" + (name.equals("bravo") ? ",\"subscription\":\"free\"" : "") + "}");
            f.time.advance(Duration.ofSeconds(1));
        }
        String revoked = f.createKey(ALICE, "{\"name\":\"echo\"}").get("id").asText();
        f.delete("/api-keys/" + revoked, ALICE);
        f.createKey(BOB, "{\"name\":\"bobs\"}");

        JsonNode page1 = f.post("/api-keys/search", ALICE,
                "{\"sort\":{\"by\":\"name\",\"order\":\"asc\"},\"pagination\":{\"limit\":3,\"offset\":0}}").json();
        assertEquals(List.of("alpha", "bravo", "charlie"), names(page1));
        assertTrue(page1.get("has_more").asBoolean());
        JsonNode page2 = f.post("/api-keys/search", ALICE,
                "{\"sort\":{\"by\":\"name\",\"order\":\"asc\"},\"pagination\":{\"limit\":3,\"offset\":3}}").json();
        assertEquals(List.of("delta"), names(page2), "revoked keys are left out by default");
        assertFalse(page2.get("has_more").asBoolean());

        assertEquals(List.of("echo"), names(f.post("/api-keys/search", ALICE,
                "{\"filters\":{\"status\":[\"revoked\"]}}").json()));
        assertEquals(List.of("alpha"), names(f.post("/api-keys/search", ALICE,
                "{\"filters\":{\"labels\":{\"env\":\"prod\"}}}").json()));
        assertEquals(List.of("bravo"), names(f.post("/api-keys/search", ALICE,
                "{\"filters\":{\"subscription\":\"free\"}}").json()));
        assertEquals(List.of("bravo", "charlie", "alpha", "delta"), names(f.post("/api-keys/search", ALICE, "").json()),
                "default: active keys, newest first");

        ManagementFixture.Response other = f.post("/api-keys/search", ALICE, "{\"filters\":{\"username\":\"bob\"}}");
        assertEquals(403, other.status(), other::toString);
        assertEquals(List.of("bobs"), names(f.post("/api-keys/search", ADMIN,
                "{\"filters\":{\"username\":\"bob\"}}").json()));
        assertEquals(5, f.post("/api-keys/search", AUDITOR, "{}").json().get("data").size());

        ManagementFixture.Response bad = f.post("/api-keys/search", ALICE, "{\"pagination\":{\"limit\":0}}");
        assertEquals(400, bad.status());
        assertTrue(bad.message().contains("pagination.limit"), bad::toString);
        assertTrue(f.post("/api-keys/search", ALICE, "{\"sort\":{\"by\":\"size\"}}").message().contains("sort.by"));
        assertTrue(f.post("/api-keys/search", ALICE, "{\"filters\":{\"status\":[\"gone\"]}}").message()
                .contains("filters.status[0]"));
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("data").forEach(k -> names.add(k.get("name").asText()));
        return names;
    }

    @Test
    void bulkRevokeDryRunChangesNothingAndTheRealOneRevokesEveryMatchingKey() throws Exception {
        String a1 = f.createKey(ALICE, "{\"name\":\"a1\",\"subscription\":\"free\"}").get("key").asText();
        String a2 = f.createKey(ALICE, "{\"name\":\"a2\",\"subscription\":\"premium\"}").get("key").asText();
        String b1 = f.createKey(BOB, "{\"name\":\"b1\",\"subscription\":\"free\"}").get("key").asText();
        int auditBefore = f.audit.size();

        ManagementFixture.Response dry = f.post("/api-keys/bulk-revoke", ADMIN,
                "{\"subscription\":\"free\",\"dryRun\":true}");
        assertEquals(200, dry.status(), dry::toString);
        assertEquals(2, dry.json().get("revokedCount").asInt());
        assertTrue(dry.json().get("dryRun").asBoolean());
        assertTrue(dry.json().get("message").asText().startsWith("Dry run: 2 active key(s) would be revoked"));
        for (String secret : List.of(a1, a2, b1)) {
            assertTrue(f.engine.authenticate(secret).succeeded(), "a dry run changes nothing");
        }
        assertEquals(auditBefore, f.audit.size(), "a dry run is not a change");

        assertEquals(403, f.post("/api-keys/bulk-revoke", ALICE, "{\"subscription\":\"free\"}").status(),
                "revoking by subscription needs an admin");
        assertEquals(403, f.post("/api-keys/bulk-revoke", ALICE, "{\"username\":\"bob\"}").status());

        ManagementFixture.Response real = f.post("/api-keys/bulk-revoke", ADMIN, "{\"subscription\":\"free\"}");
        assertEquals(2, real.json().get("revokedCount").asInt());
        assertFalse(real.json().get("dryRun").asBoolean());
        assertFalse(f.engine.authenticate(a1).succeeded());
        assertFalse(f.engine.authenticate(b1).succeeded());
        assertTrue(f.engine.authenticate(a2).succeeded());

        ManagementFixture.Response own = f.post("/api-keys/bulk-revoke", ALICE, "{\"username\":\"alice\"}");
        assertEquals(200, own.status(), own::toString);
        assertEquals(1, own.json().get("revokedCount").asInt());
        assertEquals("Successfully revoked 1 active API key(s) for user alice", own.json().get("message").asText());
        assertFalse(f.engine.authenticate(a2).succeeded());

        ManagementFixture.Response neither = f.post("/api-keys/bulk-revoke", ADMIN, "{\"dryRun\":true}");
        assertEquals(400, neither.status());
        assertEquals("username or subscription is required", neither.message());
    }

    @Test
    void everyChangeAndEveryDeniedAttemptIsAudited() throws Exception {
        JsonNode created = f.createKey(ALICE, "{\"name\":\"audited\"}");
        String id = created.get("id").asText();
        f.delete("/api-keys/" + id, BOB);
        f.delete("/api-keys/" + id, AUDITOR);
        f.delete("/api-keys/" + id, ALICE);
        f.post("/api-keys/bulk-revoke", ALICE, "{\"subscription\":\"free\"}");
        f.post("/api-keys/bulk-revoke", ADMIN, "{\"username\":\"bob\"}");
        f.post("/api-keys", ALICE, "{\"name\":\"bad\",\"expiresIn\":\"soon\"}");

        List<String> trail = new ArrayList<>();
        for (AuditEvent e : f.audit.list(Instant.EPOCH, Instant.MAX, 100)) {
            trail.add(0, e.actor() + " " + e.action() + " " + e.resource() + " " + e.outcome());
            assertFalse(e.details().toString().contains(created.get("key").asText()), "no secret in the audit log");
            assertEquals(START, e.at());
        }
        assertEquals(List.of(
                "alice api_key.create api_key/" + id + " success",
                "bob api_key.revoke api_key/" + id + " denied",
                "auditor api_key.revoke api_key/" + id + " denied",
                "alice api_key.revoke api_key/" + id + " success",
                "alice api_key.bulk_revoke api_key/free denied",
                "root api_key.bulk_revoke api_key/bob success",
                "alice api_key.create api_key/ failed"), trail);

        JsonNode page = f.get("/audit?limit=2", ADMIN).json();
        assertEquals("list", page.get("object").asText());
        assertTrue(page.get("has_more").asBoolean());
        JsonNode entries = page.get("data");
        assertEquals(2, entries.size());
        assertEquals("api_key.create", entries.get(0).get("action").asText(), "newest first");
        assertEquals("failed", entries.get(0).get("outcome").asText());
        assertEquals(START.toString(), entries.get(0).get("time").asText());
        assertTrue(entries.get(0).at("/details/reason").asText().contains("expiresIn"));
        assertEquals("api_key.bulk_revoke", entries.get(1).get("action").asText());
        assertEquals("api_key", entries.get(1).get("resourceType").asText());
        assertEquals("bob", entries.get(1).get("resourceId").asText());

        JsonNode denied = f.get("/audit?actor=bob&resourceType=api_key&resourceId=" + id, ADMIN).json();
        assertEquals(1, denied.get("data").size(), denied::toString);
        assertEquals("denied", denied.at("/data/0/outcome").asText());
        assertEquals(2, f.get("/audit?action=api_key.revoke&offset=1", ADMIN).json().get("data").size());
        assertEquals(403, f.get("/audit", ALICE).status());
    }

    @Test
    void ephemeralKeysLiveAnHourAtMostAndAreLeftOutOfSearchesByDefault() throws Exception {
        JsonNode created = f.createKey(ALICE, "{\"ephemeral\":true}");
        assertTrue(created.get("ephemeral").asBoolean());
        assertEquals(START.plus(Duration.ofHours(1)).toString(), created.get("expiresAt").asText());
        ManagementFixture.Response tooLong = f.post("/api-keys", ALICE, "{\"ephemeral\":true,\"expiresIn\":\"2h\"}");
        assertEquals(400, tooLong.status());
        assertEquals("expiresIn exceeds the maximum of 1h", tooLong.message());

        assertEquals(0, f.post("/api-keys/search", ALICE, "{}").json().get("data").size());
        JsonNode with = f.post("/api-keys/search", ALICE, "{\"filters\":{\"includeEphemeral\":true}}").json();
        assertEquals(1, with.get("data").size());
        assertTrue(with.get("data").get(0).get("ephemeral").asBoolean());
        assertTrue(with.get("data").get(0).path("labels").isMissingNode(), "the marker is not a user label");

        JsonNode config = f.get("/api-keys/config", BOB).json();
        assertEquals(90, config.get("max_expiration_days").asInt());
        assertEquals("1h", config.get("ephemeral_max_expiration").asText());
        assertEquals(START.plus(Duration.ofDays(90)).toString(),
                f.createKey(ALICE, "{\"name\":\"default\"}").get("expiresAt").asText(), "default: the maximum");
    }
}
