package dev.maas4j.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.Subscription;
import dev.maas4j.management.CatalogDocuments;
import dev.maas4j.management.CatalogDocuments.InvalidDocumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.function.Predicate;

import static dev.maas4j.management.ManagementFixture.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Catalog documents read outside the API ({@link CatalogDocuments}) with the API's rules: the same
 * values as {@code POST}, the same refusals, named below the document's path.
 */
class CatalogDocumentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Predicate<ModelReference> ONLY_GRANITE = ref -> ref.name().equals("granite")
            && ref.namespace().equals("default");

    private static final String MODEL = "{\"name\":\"mistral\",\"namespace\":\"llm\",\"displayName\":\"Mistral 7B\","
            + "\"endpoints\":[\"http://mistral.llm.svc:8000/v1\"],\"price\":{\"promptPerMillion\":\"0.20\","
            + "\"completionPerMillion\":\"0.60\",\"currency\":\"EUR\"},\"upstreamCredential\":\"sk-upstream-1\","
            + "\"upstreamModel\":\"mistralai/Mistral-7B\",\"maxResponseDuration\":\"2h\",\"maxResponseBytes\":1024,"
            + "\"metadata\":{\"description\":\"small\"}}";
    private static final String POLICY = "{\"name\":\"dev-granite\",\"subjects\":{\"groups\":[{\"name\":\"dev\"}],"
            + "\"users\":[\"carol\"]},\"modelRefs\":[{\"name\":\"granite\"}],\"meteringMetadata\":{\"team\":\"x\"}}";
    private static final String SUBSCRIPTION = "{\"name\":\"gold\",\"namespace\":\"subs\",\"priority\":5,"
            + "\"owner\":{\"groups\":[{\"name\":\"dev\"}],\"users\":[]},\"modelRefs\":[{\"name\":\"granite\","
            + "\"tokenRateLimits\":[{\"limit\":5000,\"window\":\"1h\"}],\"requestRateLimits\":[{\"limit\":10,"
            + "\"window\":\"1m\"}],\"billingRate\":{\"perToken\":\"0.000002\"}}],\"tokenMetadata\":{\"organizationId\":"
            + "\"acme\",\"costCenter\":\"ai\",\"labels\":{\"env\":\"prod\"}},\"budget\":{\"amount\":\"50.00\","
            + "\"period\":\"week\"}}";

    @Test
    void aDocumentReadsToTheValueThePostStores() throws Exception {
        try (ManagementFixture f = new ManagementFixture()) {
            assertEquals(201, f.post("/models", ADMIN, MODEL).status());
            assertEquals(201, f.post("/policies", ADMIN, POLICY).status());
            assertEquals(201, f.post("/subscriptions", ADMIN, SUBSCRIPTION).status());
            ModelRef posted = f.engine.catalog().findModel("mistral").orElseThrow();
            assertEquals(posted, CatalogDocuments.model(JSON.readTree(MODEL), ""));
            assertEquals("mistralai/Mistral-7B", posted.upstreamModel());
            assertEquals("2h", posted.metadata().get(ModelRef.MAX_RESPONSE_DURATION));
            assertEquals("1024", posted.metadata().get(ModelRef.MAX_RESPONSE_BYTES));
            AuthPolicy policy = f.engine.catalog().findPolicy("dev-granite").orElseThrow();
            assertEquals(policy, CatalogDocuments.policy(JSON.readTree(POLICY), "", ONLY_GRANITE));
            Subscription subscription = f.engine.catalog().findSubscription("gold").orElseThrow();
            assertEquals(subscription, CatalogDocuments.subscription(JSON.readTree(SUBSCRIPTION), "", ONLY_GRANITE));

            JsonNode shown = f.get("/models/mistral", ADMIN).json();
            assertEquals("mistralai/Mistral-7B", shown.get("upstreamModel").asText());
            assertEquals("2h", shown.get("maxResponseDuration").asText());
            assertEquals(1024, shown.get("maxResponseBytes").asLong());
            assertEquals(400, f.put("/models/mistral", ADMIN, MODEL.replace("\"2h\"", "\"2 hours\"")).status());
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"m\",\"price\":{\"promptPerMillion\":\"cheap\",\"completionPerMillion\":\"1\"}}|"
                    + "models[3].price.promptPerMillion must be a decimal number such as \"25.00\"",
            "{\"name\":\"m\",\"price\":{\"promptPerMillion\":\"-1\",\"completionPerMillion\":\"1\"}}|"
                    + "models[3].price.promptPerMillion must be a decimal string >= 0",
            "{\"name\":\"m\",\"colour\":\"blue\"}|models[3].colour: unknown field",
            "{\"name\":\"m\",\"endpoints\":[\"vllm:8000\"]}|models[3].endpoints[0] must be an absolute http or https URL",
            "{\"name\":\"m\",\"maxResponseDuration\":\"1 day\"}|models[3].maxResponseDuration: \"1 day\" is not a duration (e.g. 30s, 5m)",
            "{\"name\":\"m\",\"maxResponseBytes\":-1}|models[3].maxResponseBytes must be an integer >= 0",
            "{\"name\":\"a/b\"}|models[3].name must be 1 to 63 letters, digits, '.', '_', ':' or '-', starting and "
                    + "ending with a letter or digit",
            "{\"displayName\":\"x\"}|models[3].name is required",
            "[]|models[3] must be an object",
    })
    void aModelTheApiRefusesIsRefusedWithItsFieldBelowThePath(String document, String message) throws Exception {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> CatalogDocuments.model(JSON.readTree(document), "models[3]"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void policiesAndSubscriptionsNameOnlyModelsThatExist() throws Exception {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> CatalogDocuments.policy(
                JSON.readTree(POLICY.replace("\"granite\"", "\"llama\"")), "policies[0]", ONLY_GRANITE));
        assertEquals("policies[0].modelRefs[0].name: no model named 'llama' in namespace 'default'", e.getMessage());
        assertEquals("policies[0].modelRefs[0].name", e.path());

        e = assertThrows(InvalidDocumentException.class, () -> CatalogDocuments.subscription(
                JSON.readTree(SUBSCRIPTION.replace("\"1h\"", "\"1d\"")), "subscriptions[2]", ONLY_GRANITE));
        assertEquals("subscriptions[2].modelRefs[0].tokenRateLimits[0].window must look like 30s, 1m or 1h",
                e.getMessage());
        e = assertThrows(InvalidDocumentException.class, () -> CatalogDocuments.subscription(
                JSON.readTree("{\"name\":\"s\",\"owner\":{\"groups\":[\"dev\"]},\"modelRefs\":[]}"), "subscriptions[0]",
                ONLY_GRANITE));
        assertEquals("subscriptions[0].owner.groups[0] must be an object", e.getMessage());
    }

    @Test
    void aBudgetHasTheSubscriptionsShape() throws Exception {
        assertEquals(dev.maas4j.api.Budget.of("25.00", dev.maas4j.api.BudgetPeriod.MONTH),
                CatalogDocuments.budget(JSON.readTree("{\"amount\":\"25.00\",\"period\":\"month\"}"), "b"));
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> CatalogDocuments.budget(
                JSON.readTree("{\"amount\":\"25.00\",\"period\":\"fortnight\"}"), "budgets.users.alice"));
        assertEquals("budgets.users.alice.period must be one of day, week, month", e.getMessage());
    }
}
