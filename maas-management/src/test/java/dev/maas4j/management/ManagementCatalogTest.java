package dev.maas4j.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas4j.api.AuditEvent;
import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.core.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.maas4j.management.ManagementFixture.ADMIN;
import static dev.maas4j.management.ManagementFixture.ALICE;
import static dev.maas4j.management.ManagementFixture.AUDITOR;
import static dev.maas4j.management.ManagementFixture.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models, subscriptions and policies: Open Data Hub's views and administrators' create/read/update/delete. */
class ManagementCatalogTest {
    private static final String NEW_MODEL = "{\"name\":\"mistral\",\"namespace\":\"llm\",\"displayName\":\"Mistral 7B\","
            + "\"endpoints\":[\"http://mistral.llm.svc:8000/v1\"],\"price\":{\"promptPerMillion\":\"0.20\","
            + "\"completionPerMillion\":\"0.60\",\"currency\":\"USD\"},\"upstreamCredential\":\"sk-upstream-secret-123\"}";
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
    void usersSeeTheModelsTheyMayUseInOpenDataHubsShape() throws Exception {
        JsonNode list = f.get("/models", ALICE).json();
        assertEquals("list", list.get("object").asText());
        assertEquals(List.of("granite", "llama"), ids(list.get("data")));
        JsonNode granite = list.get("data").get(0);
        assertEquals("model", granite.get("object").asText());
        assertEquals("default/granite", granite.get("owned_by").asText());
        assertTrue(granite.get("ready").asBoolean());
        assertTrue(granite.get("created").isNumber());
        assertEquals(f.base.resolve("/").toString() + "default/granite", granite.get("url").asText());
        assertEquals("premium", granite.at("/subscriptions/0/name").asText(), "best first");
        assertEquals("free", granite.at("/subscriptions/1/name").asText());
        assertTrue(granite.path("endpoints").isMissingNode(), "no administrators' properties for a user");

        JsonNode premiumOnly = f.sendWith("GET", "/models", null, "Authorization", "Bearer " + ALICE,
                "X-MaaS-Subscription", "premium").json();
        assertEquals(List.of("granite"), ids(premiumOnly.get("data")));
        assertEquals(403, f.sendWith("GET", "/models", null, "Authorization", "Bearer " + BOB,
                "X-MaaS-Subscription", "premium").status());

        JsonNode forAdmin = f.get("/models", ADMIN).json().get("data");
        assertEquals(List.of("granite", "llama"), ids(forAdmin));
        assertEquals("0.15", forAdmin.get(0).at("/price/promptPerMillion").asText());
        assertEquals("http://127.0.0.1:9/v1", forAdmin.get(0).at("/endpoints/0").asText());
        assertTrue(forAdmin.get(0).get("enabled").asBoolean());
    }

    @Test
    void usersSeeTheirSubscriptionsAsABareArray() throws Exception {
        JsonNode mine = f.get("/subscriptions", ALICE).json();
        assertTrue(mine.isArray());
        assertEquals("premium", mine.get(0).get("subscription_id_header").asText());
        assertEquals(10, mine.get(0).get("priority").asInt());
        assertEquals("granite", mine.get(0).at("/model_refs/0/name").asText());
        assertEquals(500000, mine.get(0).at("/model_refs/0/token_rate_limits/0/limit").asLong());
        assertEquals("1h", mine.get(0).at("/model_refs/0/token_rate_limits/0/window").asText());
        assertTrue(mine.get(0).path("owner").isMissingNode());
        assertEquals(1, f.get("/subscriptions", BOB).json().size());

        JsonNode all = f.get("/subscriptions", AUDITOR).json();
        assertEquals(2, all.size());
        assertEquals("dev", all.get(1).at("/owner/groups/0/name").asText(), "groups as the CRD spells them");
        assertEquals("viewer", all.get(1).at("/owner/users/0").asText());

        JsonNode forGranite = f.get("/model/granite/subscriptions", BOB).json();
        assertEquals(1, forGranite.size());
        assertEquals("free", forGranite.get(0).get("subscription_id_header").asText());
        assertEquals(0, f.get("/model/nothing/subscriptions", BOB).json().size());
    }

    @Test
    void adminsCreateReadUpdateAndDeleteModelsWithoutEverShowingCredentials() throws Exception {
        ManagementFixture.Response created = f.post("/models", ADMIN, NEW_MODEL);
        assertEquals(201, created.status(), created::toString);
        JsonNode model = created.json();
        assertEquals("mistral", model.get("id").asText());
        assertEquals("llm/mistral", model.get("owned_by").asText());
        assertEquals("0.2", model.at("/price/promptPerMillion").asText(), "ModelPrice keeps no trailing zeros");
        assertTrue(model.get("hasUpstreamCredential").asBoolean());
        assertFalse(created.body().contains("sk-upstream-secret-123"));
        assertEquals("sk-upstream-secret-123",
                f.engine.catalog().model("mistral").orElseThrow().upstreamCredential().orElseThrow().reveal(),
                "the engine sees the change at once");

        assertEquals(409, f.post("/models", ADMIN, NEW_MODEL).status());
        assertEquals(403, f.post("/models", ALICE, NEW_MODEL.replace("mistral", "m2")).status());
        assertEquals(403, f.post("/models", AUDITOR, NEW_MODEL.replace("mistral", "m2")).status());

        // what a client read can be sent back as is: the read-only properties are ignored
        ObjectNode roundTrip = (ObjectNode) f.get("/models/mistral", ADMIN).json();
        roundTrip.put("enabled", false);
        ManagementFixture.Response updated = f.put("/models/mistral", ADMIN, roundTrip.toString());
        assertEquals(200, updated.status(), updated::toString);
        assertFalse(updated.json().get("enabled").asBoolean());
        assertTrue(f.engine.catalog().model("mistral").orElseThrow().upstreamCredential().isPresent(),
                "an absent credential is kept: it cannot be read back");

        roundTrip.put("colour", "blue");
        ManagementFixture.Response unknown = f.put("/models/mistral", ADMIN, roundTrip.toString());
        assertEquals(200, unknown.status(), "an unknown property is ignored (docs §1): " + unknown);
        ManagementFixture.Response renamed = f.put("/models/mistral", ADMIN, NEW_MODEL.replace("\"mistral\"", "\"other\""));
        assertEquals(409, renamed.status(), renamed::toString);
        assertEquals(404, f.put("/models/ghost", ADMIN, "{\"namespace\":\"llm\"}").status());
        ManagementFixture.Response badUrl = f.post("/models", ADMIN, "{\"name\":\"x\",\"endpoints\":[\"ftp://x\"]}");
        assertEquals("endpoints[0]", badUrl.json().at("/error/param").asText());
        ManagementFixture.Response badPrice = f.post("/models", ADMIN,
                "{\"name\":\"x\",\"price\":{\"promptPerMillion\":\"cheap\",\"completionPerMillion\":\"1\"}}");
        assertEquals("price.promptPerMillion", badPrice.json().at("/error/param").asText());
        ManagementFixture.Response longName = f.post("/models", ADMIN, "{\"name\":\"" + "m".repeat(64) + "\"}");
        assertEquals(400, longName.status());

        ManagementFixture.Response deleted = f.delete("/models/mistral", ADMIN);
        assertEquals(204, deleted.status());
        assertEquals("", deleted.body());
        assertEquals(404, f.get("/models/mistral", ADMIN).status());
        assertTrue(f.engine.catalog().model("mistral").isEmpty());
        assertEquals(404, f.delete("/models/mistral", ADMIN).status());

        List<String> trail = new ArrayList<>();
        for (AuditEvent e : f.audit.list(Instant.EPOCH, Instant.MAX, 100)) {
            trail.add(0, e.actor() + " " + e.action() + " " + e.resource() + " " + e.outcome());
            assertFalse(e.toString().contains("sk-upstream-secret-123"));
        }
        assertEquals("root model.create model/mistral success", trail.get(0));
        assertTrue(trail.contains("alice model.create model/m2 denied"), trail::toString);
        assertTrue(trail.contains("auditor model.create model/m2 denied"), trail::toString);
        assertTrue(trail.contains("root model.update model/mistral success"), trail::toString);
        assertTrue(trail.contains("root model.delete model/mistral success"), trail::toString);
    }

    @Test
    void aModelPublishedThroughTheApiIsUsableAtOnce() throws Exception {
        assertEquals(201, f.post("/models", ADMIN, NEW_MODEL).status());
        ManagementFixture.Response policy = f.post("/policies", ADMIN, "{\"name\":\"mistral-access\","
                + "\"subjects\":{\"groups\":[{\"name\":\"dev\"}],\"users\":[]},"
                + "\"modelRefs\":[{\"name\":\"mistral\",\"namespace\":\"llm\"}]}");
        assertEquals(201, policy.status(), policy::toString);
        ManagementFixture.Response subscription = f.post("/subscriptions", ADMIN, "{\"name\":\"mistral-tier\","
                + "\"namespace\":\"models-as-a-service\",\"priority\":20,"
                + "\"owner\":{\"groups\":[{\"name\":\"dev\"}],\"users\":[]},"
                + "\"modelRefs\":[{\"name\":\"mistral\",\"namespace\":\"llm\","
                + "\"tokenRateLimits\":[{\"limit\":50000,\"window\":\"1h\"}],\"billingRate\":{\"perToken\":\"0.000001\"}}],"
                + "\"tokenMetadata\":{\"organizationId\":\"acme\",\"costCenter\":\"ai\",\"labels\":{\"env\":\"prod\"}},"
                + "\"budget\":{\"amount\":\"500.00\",\"period\":\"month\"}}");
        assertEquals(201, subscription.status(), subscription::toString);
        JsonNode sub = subscription.json();
        assertEquals("mistral-tier", sub.get("subscription_id_header").asText());
        assertEquals("0.000001", sub.at("/model_refs/0/billing_rate/per_token").asText());
        assertEquals("acme", sub.get("organization_id").asText());
        assertEquals("500.00", sub.at("/budget/amount").asText());
        assertEquals("0.000001", sub.at("/modelRefs/0/billingRate/perToken").asText());

        String key = f.createKey(BOB, "{\"name\":\"mistral-user\"}").get("key").asText();
        try (Lease lease = f.engine.admit(AdmissionRequest.builder(key, "mistral").promptTokensEstimate(5)
                .maxOutputTokens(5).build())) {
            assertTrue(lease.allowed(), () -> lease.admission().denial().toString());
        }
        assertEquals("mistral-tier", f.get("/subscriptions", BOB).json().get(0).get("subscription_id_header").asText());

        JsonNode policies = f.get("/policies", AUDITOR).json();
        assertEquals("list", policies.get("object").asText());
        assertEquals(2, policies.get("data").size());
        assertEquals(403, f.get("/policies", ALICE).status());
        ObjectNode replaced = (ObjectNode) f.get("/policies/mistral-access", ADMIN).json();
        replaced.putObject("subjects").putArray("users").add("alice");
        assertEquals(200, f.put("/policies/mistral-access", ADMIN, replaced.toString()).status());
        assertEquals("alice", f.get("/policies/mistral-access", ADMIN).json().at("/subjects/users/0").asText());
        assertEquals(204, f.delete("/policies/mistral-access", ADMIN).status());
        assertEquals(204, f.delete("/subscriptions/mistral-tier", ADMIN).status());
        assertEquals(404, f.get("/subscriptions/mistral-tier", ADMIN).status());
    }

    @Test
    void subscriptionValidationNamesTheField() throws Exception {
        String base = "{\"name\":\"s\",\"owner\":{\"groups\":[{\"name\":\"dev\"}]},\"modelRefs\":[%s]}";
        String[][] cases = {
                {"{\"name\":\"granite\"}", "modelRefs[0].tokenRateLimits"},
                {"{\"name\":\"granite\",\"tokenRateLimits\":[{\"limit\":10,\"window\":\"1d\"}]}",
                        "modelRefs[0].tokenRateLimits[0].window"},
                {"{\"name\":\"granite\",\"tokenRateLimits\":[{\"limit\":0,\"window\":\"1h\"}]}",
                        "modelRefs[0].tokenRateLimits[0].limit"},
                {"{\"name\":\"nope\",\"tokenRateLimits\":[{\"limit\":10,\"window\":\"1h\"}]}", "modelRefs[0].name"},
        };
        for (String[] c : cases) {
            ManagementFixture.Response r = f.post("/subscriptions", ADMIN, String.format(base, c[0]));
            assertEquals(400, r.status(), r::toString);
            assertEquals(c[1], r.json().at("/error/param").asText(), r::toString);
            assertTrue(r.message().startsWith(c[1]), r::toString);
        }
        ManagementFixture.Response noOwner = f.post("/subscriptions", ADMIN,
                "{\"name\":\"s\",\"owner\":{\"groups\":[],\"users\":[]},\"modelRefs\":[{\"name\":\"granite\","
                        + "\"tokenRateLimits\":[{\"limit\":10,\"window\":\"1h\"}]}]}");
        assertEquals("owner must name at least one group or user", noOwner.message());
        ManagementFixture.Response groupAsString = f.post("/subscriptions", ADMIN,
                "{\"name\":\"s\",\"owner\":{\"groups\":[\"dev\"]}}");
        assertEquals(400, groupAsString.status());
        assertEquals("owner.groups[0]", groupAsString.json().at("/error/param").asText());
    }

    @Test
    void aReadOnlyCatalogAnswersChangesWith409() throws Exception {
        try (ManagementFixture readOnly = new ManagementFixture(b -> {
        }, null, null, true)) {
            for (ManagementFixture.Response r : List.of(readOnly.post("/models", ADMIN, NEW_MODEL),
                    readOnly.put("/subscriptions/free", ADMIN, "{}"), readOnly.delete("/policies/dev-access", ADMIN))) {
                assertEquals(409, r.status(), r::toString);
                assertEquals("catalog_read_only", r.json().at("/error/code").asText());
                assertEquals("conflict_error", r.json().at("/error/type").asText());
                assertTrue(r.message().contains("read-only"), r::toString);
            }
            assertEquals(2, readOnly.get("/models", ADMIN).json().get("data").size(), "reads still work");
            assertEquals("failed", readOnly.audit.list(Instant.EPOCH, Instant.MAX, 1).get(0).outcome());
        }
    }

    private static List<String> ids(JsonNode data) {
        List<String> ids = new ArrayList<>();
        data.forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }
}
