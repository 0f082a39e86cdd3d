package dev.maas4j.store.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.api.Identity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link KubernetesTokenReviews} against fabric8's mock API server, in expectation mode. */
class KubernetesTokenReviewsTest {
    private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    private static final String ALICE_TOKEN = "eyJhbGciOiJSUzI1NiJ9.alice.signature";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        // no retries: a failing answer must show at once, not after fabric8's back-off
        client = server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void anAuthenticatedTokenGivesTheUserAndGroupsOfTheStatus() {
        server.expect().post().withPath(TOKEN_REVIEWS).andReply(201, request -> {
            JsonNode body = record(request);
            boolean alice = ALICE_TOKEN.equals(body.path("spec").path("token").asText());
            return alice ? tokenReview(Map.of("authenticated", true, "user", Map.of("username", "alice",
                    "uid", "u-1", "groups", List.of("dev", "system:authenticated"))))
                    : tokenReview(Map.of("authenticated", false, "error", "invalid bearer token"));
        }).always();
        KubernetesTokenReviews reviews = KubernetesTokenReviews.builder(client).build();

        Optional<Identity> alice = reviews.review(ALICE_TOKEN);

        assertEquals(Optional.of(new Identity("alice", Set.of("dev", "system:authenticated"))), alice);
        JsonNode sent = requests.get(0);
        assertEquals("authentication.k8s.io/v1", sent.path("apiVersion").asText());
        assertEquals("TokenReview", sent.path("kind").asText());
        assertTrue(sent.path("spec").path("audiences").isMissingNode(), "no audiences unless configured: " + sent);
    }

    @Test
    void aTokenTheServerDoesNotAuthenticateGivesEmpty() {
        server.expect().post().withPath(TOKEN_REVIEWS)
                .andReturn(201, tokenReview(Map.of("authenticated", false, "error", "token has expired")))
                .always();

        assertEquals(Optional.empty(), KubernetesTokenReviews.builder(client).build().review("expired-token"));
    }

    @Test
    void anAuthenticatedAnswerWithoutAUserNameGivesEmpty() {
        server.expect().post().withPath(TOKEN_REVIEWS)
                .andReturn(201, tokenReview(Map.of("authenticated", true, "user", Map.of()))).always();

        assertEquals(Optional.empty(), KubernetesTokenReviews.builder(client).build().review("odd-token"));
    }

    @Test
    void audiencesAreSentAndMustBeAnswered() {
        server.expect().post().withPath(TOKEN_REVIEWS).andReply(201, request -> {
            record(request);
            return tokenReview(Map.of("authenticated", true, "audiences", List.of("other"),
                    "user", Map.of("username", "alice")));
        }).always();
        KubernetesTokenReviews reviews = KubernetesTokenReviews.builder(client).audiences("maas-gateway").build();

        assertEquals(Optional.empty(), reviews.review(ALICE_TOKEN),
                "a token valid only for another audience is not accepted");
        assertEquals("maas-gateway", requests.get(0).path("spec").path("audiences").path(0).asText());
    }

    @Test
    void aServerErrorThrowsWithoutTheToken() {
        server.expect().post().withPath(TOKEN_REVIEWS).andReturn(500, Map.of("apiVersion", "v1", "kind", "Status",
                "status", "Failure", "code", 500, "message", "etcd is unavailable")).always();
        KubernetesTokenReviews reviews = KubernetesTokenReviews.builder(client).build();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> reviews.review(ALICE_TOKEN));

        assertEquals("TokenReview failed, HTTP 500: etcd is unavailable", e.getMessage());
        assertFalse(e.getMessage().contains(ALICE_TOKEN));
    }

    @Test
    void aForbiddenReviewThrows() {
        // a service account without system:auth-delegator: "cannot tell", not "not authenticated"
        server.expect().post().withPath(TOKEN_REVIEWS).andReturn(403, Map.of("apiVersion", "v1", "kind", "Status",
                "status", "Failure", "code", 403, "reason", "Forbidden",
                "message", "tokenreviews.authentication.k8s.io is forbidden")).always();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KubernetesTokenReviews.builder(client).build().review(ALICE_TOKEN));
        assertTrue(e.getMessage().startsWith("TokenReview failed, HTTP 403"), e.getMessage());
    }

    @Test
    void anUnreachableServerThrows() {
        KubernetesClient unreachable = server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0)
                .withMasterUrl("http://127.0.0.1:1/").endConfig());
        try (unreachable) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> KubernetesTokenReviews.builder(unreachable).build().review(ALICE_TOKEN));
            assertFalse(e.getMessage().contains(ALICE_TOKEN));
        }
    }

    @Test
    void aBlankTokenIsRefusedBeforeAnyRequest() {
        KubernetesTokenReviews reviews = KubernetesTokenReviews.builder(client).build();
        assertThrows(IllegalArgumentException.class, () -> reviews.review(" "));
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void mayAdministerAsksASubjectAccessReviewForTheConfiguredAccess() {
        server.expect().post().withPath(ACCESS_REVIEWS).andReply(201, request -> {
            JsonNode spec = record(request).path("spec");
            boolean admin = spec.path("groups").toString().contains("maas-admins");
            return Map.of("apiVersion", "authorization.k8s.io/v1", "kind", "SubjectAccessReview",
                    "status", admin ? Map.of("allowed", true) : Map.of("allowed", false, "reason", "no RBAC rule"));
        }).always();
        KubernetesTokenReviews reviews = KubernetesTokenReviews.builder(client)
                .adminAccess(ResourceAccess.MAAS_ADMIN.inNamespace("models-as-a-service")).build();

        assertTrue(reviews.mayAdminister(Identity.of("carol", "maas-admins")));
        assertFalse(reviews.mayAdminister(Identity.of("bob", "dev")));

        JsonNode spec = requests.get(0).path("spec");
        assertEquals("carol", spec.path("user").asText());
        JsonNode attributes = spec.path("resourceAttributes");
        assertEquals("update", attributes.path("verb").asText());
        assertEquals("maas.opendatahub.io", attributes.path("group").asText());
        assertEquals("maasauthpolicies", attributes.path("resource").asText());
        assertEquals("models-as-a-service", attributes.path("namespace").asText());
    }

    @Test
    void aFailingAccessReviewThrows() {
        server.expect().post().withPath(ACCESS_REVIEWS).andReturn(503, Map.of("apiVersion", "v1", "kind", "Status",
                "status", "Failure", "code", 503, "message", "unavailable")).always();
        KubernetesTokenReviews reviews = KubernetesTokenReviews.builder(client).build();

        assertThrows(IllegalStateException.class, () -> reviews.mayAdminister(Identity.of("carol")));
    }

    @Test
    void resourceAccessValidates() {
        assertEquals("", ResourceAccess.MAAS_ADMIN.namespace(), "cluster-wide by default");
        assertThrows(IllegalArgumentException.class, () -> ResourceAccess.of(" ", "", "pods"));
        assertThrows(IllegalArgumentException.class, () -> ResourceAccess.MAAS_ADMIN.inNamespace(""));
        assertThrows(IllegalArgumentException.class, () -> KubernetesTokenReviews.builder(client).audiences(""));
    }

    private JsonNode record(RecordedRequest request) {
        try {
            JsonNode body = JSON.readTree(request.getUtf8Body());
            requests.add(body);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> tokenReview(Map<String, Object> status) {
        return Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "TokenReview", "status", status);
    }
}
