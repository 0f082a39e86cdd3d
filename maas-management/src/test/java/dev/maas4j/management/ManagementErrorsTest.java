package dev.maas4j.management;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.maas4j.management.ManagementFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors: OpenAI-style JSON, 400 naming the field, 401 for API keys and missing credentials, 404, 405, 413. */
class ManagementErrorsTest {
    private static ManagementFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ManagementFixture(b -> b.maxBodyBytes(4096), null, null);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"k\",\"expiresIn\":\"30 days\"}|expiresIn|expiresIn must be a duration such as 30d, 12h, 90m, 1h30m or 3600 (seconds)",
            "{\"name\":\"k\",\"expiresIn\":\"0d\"}|expiresIn|expiresIn must be longer than 0",
            "{\"name\":\"k\",\"expiresIn\":\"91d\"}|expiresIn|expiresIn exceeds the maximum of 90d",
            "{\"name\":\"k\",\"expiresAt\":\"tomorrow\"}|expiresAt|expiresAt must be an RFC 3339 timestamp such as 2026-12-31T23:59:59Z",
            "{\"name\":\"k\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}|expiresAt|expiresAt must be in the future",
            "{\"name\":\"k\",\"expiresAt\":\"2026-04-01T00:00:00Z\",\"expiresIn\":\"1d\"}|expiresIn|expiresAt and expiresIn are mutually exclusive: give one of them",
            "{\"description\":\"no name\"}|name|name is required",
            "{\"name\":\"   \"}|name|name is required",
            "{\"name\":\"k\",\"limits\":{\"requestsPerMinute\":\"ten\"}}|limits.requestsPerMinute|limits.requestsPerMinute must be an integer",
            "{\"name\":\"k\",\"limits\":{\"requestsPerMinute\":0}}|limits.requestsPerMinute|limits.requestsPerMinute must be a positive integer",
            "{\"name\":\"k\",\"limits\":{\"budget\":\"lots\"}}|limits.budget|limits.budget must be a decimal number such as \"25.00\"",
            "{\"name\":\"k\",\"limits\":{\"budget\":\"-1\",\"budgetPeriod\":\"day\"}}|limits.budget|limits.budget must be positive",
            "{\"name\":\"k\",\"limits\":{\"budget\":10,\"budgetPeriod\":\"year\"}}|limits.budgetPeriod|limits.budgetPeriod must be one of day, week, month",
            "{\"name\":\"k\",\"limits\":{\"budgetPeriod\":\"day\"}}|limits.budget|limits.budget is required with limits.budgetPeriod",
            "{\"name\":\"k\",\"limits\":{\"budget\":\"5\"}}|limits.budgetPeriod|limits.budgetPeriod is required with limits.budget",
            "{\"name\":\"k\",\"models\":[\"granite\",\"gpt-9\"]}|models|models: no model named 'gpt-9'",
            "{\"name\":\"k\",\"models\":\"granite\"}|models|models must be an array",
            "{\"name\":\"k\",\"labels\":{\"bad key!\":\"x\"}}|labels.bad key!|labels key 'bad key!' must be 1 to 128 letters, digits, '.', '_', '-' or '/', starting and ending with a letter or digit",
            "{\"name\":\"k\",\"labels\":{\"maas4j.dev/ephemeral\":\"true\"}}|labels.maas4j.dev/ephemeral|labels key 'maas4j.dev/ephemeral' uses the reserved prefix maas4j.dev/",
            "{\"name\":\"k\",\"ephemeral\":\"yes\"}|ephemeral|ephemeral must be true or false",
            "{\"name\":\"k\",\"owner\":{\"type\":\"robot\",\"name\":\"r2\"}}|owner.type|owner.type must be one of user, group, serviceAccount",
    })
    void validationErrorsAre400AndNameTheField(String body, String param, String message) throws Exception {
        ManagementFixture.Response r = f.post("/api-keys", ALICE, body);
        assertEquals(400, r.status(), r::toString);
        JsonNode error = r.json().get("error");
        assertEquals(message, error.get("message").asText());
        assertEquals(param, error.get("param").asText());
        assertEquals("invalid_request_error", error.get("type").asText());
    }

    @Test
    void aSubscriptionThatIsNotTheOwnersIsRefusedLikeAMissingOne() throws Exception {
        ManagementFixture.Response notHers = f.post("/api-keys", ManagementFixture.BOB,
                "{\"name\":\"k\",\"subscription\":\"premium\"}");
        ManagementFixture.Response missing = f.post("/api-keys", ManagementFixture.BOB,
                "{\"name\":\"k\",\"subscription\":\"nope\"}");
        assertEquals(400, notHers.status());
        assertEquals("invalid_subscription", notHers.json().at("/error/code").asText());
        assertEquals("invalid_subscription", missing.json().at("/error/code").asText());
        assertEquals(missing.message().replace("nope", "premium"), notHers.message());
    }

    @Test
    void malformedJsonIs400() throws Exception {
        for (String body : new String[]{"{\"name\":", "[1,2]", "\"name\"", "{\"name\":\"a\"} trailing",
                "{\"name\":\"a\",\"name\":\"b\"}", ""}) {
            ManagementFixture.Response r = f.post("/api-keys", ALICE, body);
            assertEquals(400, r.status(), () -> body + " -> " + r);
            assertEquals("invalid_request_error", r.json().at("/error/type").asText());
        }
        ManagementFixture.Response truncated = f.post("/api-keys", ALICE, "{\"name\":");
        assertEquals("malformed_json", truncated.json().at("/error/code").asText());
        assertTrue(truncated.message().startsWith("malformed JSON at line 1"), truncated::toString);
        ManagementFixture.Response pasted = f.post("/api-keys", ALICE, "{\"name\": sk-oai-NotQuotedButSecret_abcdefghijkl}");
        assertEquals(400, pasted.status());
        assertTrue(!pasted.body().contains("NotQuotedButSecret"), "a pasted secret is not echoed: " + pasted);
    }

    @Test
    void anApiKeyIsNeverAcceptedOnTheManagementApi() throws Exception {
        String secret = f.createKey(ALICE, "{\"name\":\"inference-only\"}").get("key").asText();
        for (String[] headers : new String[][]{{"Authorization", "Bearer " + secret}, {"x-api-key", secret},
                {"Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("u:" + secret).getBytes())}}) {
            ManagementFixture.Response r = f.sendWith("GET", "/api-keys", null, headers);
            assertEquals(401, r.status(), r::toString);
            assertEquals("api_key_not_accepted", r.json().at("/error/code").asText());
            assertEquals("authentication_error", r.json().at("/error/type").asText());
            assertTrue(r.message().contains("management credential"), r::toString);
            assertTrue(!r.body().contains(secret), "the key is not echoed");
        }
    }

    @Test
    void missingOrUnknownCredentialsAre401() throws Exception {
        ManagementFixture.Response none = f.get("/api-keys", null);
        assertEquals(401, none.status());
        assertEquals("Bearer realm=\"maas-api\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals("missing_credentials", none.json().at("/error/code").asText());
        assertEquals(401, f.get("/api-keys", "not-a-known-token-at-all").status());
    }

    @Test
    void wrongMethodIs405AndUnknownPathIs404() throws Exception {
        ManagementFixture.Response put = f.put("/api-keys", ALICE, "{}");
        assertEquals(405, put.status(), put::toString);
        assertEquals("GET, POST", put.headers().firstValue("Allow").orElseThrow());
        assertEquals("method_not_allowed", put.json().at("/error/code").asText());
        assertEquals(405, f.get("/api-keys/search", ALICE).status(), "search is not a key id");
        assertEquals(405, f.send("PATCH", "/api-keys/abc", ALICE, "{}").status());

        ManagementFixture.Response unknown = f.get("/nothing/here", ALICE);
        assertEquals(404, unknown.status());
        assertEquals("not_found_error", unknown.json().at("/error/type").asText());
        assertEquals("no such endpoint: /nothing/here", unknown.message());
    }

    @Test
    void bodiesAboveTheLimitAre413() throws Exception {
        ManagementFixture.Response r = f.post("/api-keys", ALICE,
                "{\"name\":\"k\",\"description\":\"" + "x".repeat(5000) + "\"}");
        assertEquals(413, r.status(), r::toString);
        assertEquals("request_too_large", r.json().at("/error/code").asText());
    }

    @Test
    void errorsHaveTheOpenAiShapeWithTheCodeAlsoAtTheTopLevel() throws Exception {
        JsonNode body = f.get("/api-keys/nope", ALICE).json();
        assertEquals(2, body.size(), body::toString);
        assertEquals("key_not_found", body.get("code").asText(), "where Open Data Hub's handlers put it");
        JsonNode error = body.get("error");
        assertTrue(error.has("message") && error.has("type") && error.has("code") && error.has("param"),
                body::toString);
        assertTrue(error.get("param").isNull());
        assertEquals("key_not_found", error.get("code").asText());
    }
}
