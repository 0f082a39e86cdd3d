package dev.maas4j.client;

import dev.maas4j.testing.FakeOpenAiUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static dev.maas4j.client.Fixtures.bodyJson;
import static dev.maas4j.client.Fixtures.fixture;
import static dev.maas4j.testing.FakeOpenAiUpstream.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorsTest {

    private static final String KEY = "sk-oai-K3y1d_s3cr3tPartThatMustNotLeak";
    private static final String PATH = "/v1/chat/completions";

    private final FakeOpenAiUpstream server = FakeOpenAiUpstream.start();
    private final MaasClient client = MaasClient.builder().baseUrl(server.root() + "/v1").apiKey(KEY)
            .maxRetries(0).build();

    @AfterEach
    void stop() {
        server.close();
    }

    private MaasApiException call() {
        return assertThrows(MaasApiException.class,
                () -> client.chat().create(ChatCompletionRequest.of("gpt-4o-mini", "hi")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "400, BadRequestException, invalid_request_error, invalid_type",
            "401, AuthenticationException, invalid_request_error, invalid_api_key",
            "403, PermissionDeniedException, permission_error, ",
            "404, NotFoundException, invalid_request_error, model_not_found",
            "429, RateLimitException, requests, rate_limit_exceeded",
            "500, ServerException, server_error, ",
            "503, ServerException, server_error, "})
    void eachErrorStatusIsThrownAsItsTypeWithTheOpenAiFields(int status, String type, String errorType, String code) {
        server.on("POST", PATH, json(status, fixture("error-" + status + ".json"), "x-request-id", "req_" + status));

        MaasApiException e = call();

        assertEquals(type, e.getClass().getSimpleName());
        assertEquals(status, e.statusCode());
        assertEquals(errorType, e.type().orElseThrow());
        assertEquals(code == null ? "" : code, e.code().orElse(""));
        assertEquals("req_" + status, e.requestId().orElseThrow());
        assertFalse(e.errorMessage().isBlank());
        assertTrue(e.getMessage().startsWith(status + ": " + e.errorMessage()), e.getMessage());
        assertTrue(e.getMessage().contains("request id: req_" + status), e.getMessage());
    }

    @Test
    void badRequestNamesTheParameter() {
        server.on("POST", PATH, json(400, fixture("error-400.json")));

        BadRequestException e = assertInstanceOf(BadRequestException.class, call());

        assertEquals("temperature", e.param().orElseThrow());
    }

    @Test
    void rateLimitCarriesRetryAfterAndTheRateLimitHeaders() {
        server.on("POST", PATH, json(429, fixture("error-429.json"),
                "retry-after", "20",
                "x-ratelimit-limit-requests", "3",
                "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-reset-requests", "20s",
                "x-ratelimit-limit-tokens", "150000",
                "x-ratelimit-remaining-tokens", "149984",
                "x-ratelimit-reset-tokens", "6m0s"));

        RateLimitException e = assertInstanceOf(RateLimitException.class, call());

        assertEquals(Duration.ofSeconds(20), e.retryAfter().orElseThrow());
        RateLimitInfo limits = e.rateLimits();
        assertEquals(3, limits.limitRequests().getAsLong());
        assertEquals(0, limits.remainingRequests().getAsLong());
        assertEquals(Duration.ofSeconds(20), limits.resetRequests().orElseThrow());
        assertEquals(150000, limits.limitTokens().getAsLong());
        assertEquals(149984, limits.remainingTokens().getAsLong());
        assertEquals(Duration.ofMinutes(6), limits.resetTokens().orElseThrow());
    }

    @Test
    void conflictAndUnprocessableHaveTheirTypes() {
        server.on("POST", PATH, json(409, "{\"error\":{\"message\":\"exists\",\"type\":\"conflict\"}}"));
        assertInstanceOf(ConflictException.class, call());
        server.on("POST", PATH, json(422, "{\"error\":{\"message\":\"no\",\"type\":\"invalid\"}}"));
        assertInstanceOf(UnprocessableEntityException.class, call());
        server.on("POST", PATH, json(418, "{\"error\":{\"message\":\"teapot\",\"type\":\"odd\"}}"));
        assertEquals(MaasApiException.class, call().getClass());
    }

    @Test
    void vllmStyleTopLevelErrorsAreRead() {
        server.on("POST", PATH, json(400, """
                {"object": "error", "message": "This model's maximum context length is 4096 tokens.",
                 "type": "BadRequestError", "param": null, "code": 400}
                """));

        MaasApiException e = call();

        assertInstanceOf(BadRequestException.class, e);
        assertEquals("This model's maximum context length is 4096 tokens.", e.errorMessage());
        assertEquals("BadRequestError", e.type().orElseThrow());
        assertEquals("400", e.code().orElseThrow());
    }

    @Test
    void aNonJsonErrorBodyBecomesTheMessage() {
        server.on("POST", PATH, (request, exchange, attempt) -> {
            byte[] html = "<html><body>502 Bad Gateway</body></html>".getBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(502, html.length);
            exchange.getResponseBody().write(html);
        });

        MaasApiException e = call();

        assertInstanceOf(ServerException.class, e);
        assertEquals("<html><body>502 Bad Gateway</body></html>", e.errorMessage());
        assertTrue(e.type().isEmpty());
    }

    @Test
    void anEmptyErrorBodyGivesTheStatusReason() {
        server.on("POST", PATH, json(401, ""));

        MaasApiException e = call();

        assertInstanceOf(AuthenticationException.class, e);
        assertEquals("Unauthorized", e.errorMessage());
    }

    @Test
    void aKeyEchoedByTheServerIsMaskedInTheException() {
        server.on("POST", PATH, json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
                + "\",\"type\":\"invalid_request_error\",\"param\":\"" + KEY + "\",\"code\":\"invalid_api_key\"}}"));

        MaasApiException e = call();

        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertFalse(e.toString().contains(KEY), e.toString());
        assertFalse(e.errorMessage().contains(KEY));
        assertFalse(e.param().orElseThrow().contains(KEY));
        assertFalse(e.error().toString().contains(KEY));
        assertTrue(e.errorMessage().contains("****"));
    }

    @Test
    void aDecodingFailureIsAClientException() {
        server.on("POST", PATH, json(200, "{\"id\": \"x\", \"choices\": \"not a list\"}"));

        MaasClientException e = assertThrows(MaasClientException.class,
                () -> client.chat().create(ChatCompletionRequest.of("m", "hi")));

        assertFalse(e instanceof MaasApiException);
        assertTrue(e.getMessage().startsWith("could not decode the response to POST"), e.getMessage());
    }
}
