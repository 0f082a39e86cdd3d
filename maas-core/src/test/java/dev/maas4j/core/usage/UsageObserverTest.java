package dev.maas4j.core.usage;

import static dev.maas4j.core.usage.Feeding.fixture;
import static dev.maas4j.core.usage.Feeding.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.usage.Feeding.Outcome;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** JSON bodies, usage resolution, estimates, malformed input and the observer's contract. */
class UsageObserverTest {

    private static final Supplier<UsageObserver> CHAT_JSON = () -> UsageObserver.forJson(EndpointKind.CHAT_COMPLETIONS);
    private static final Supplier<UsageObserver> CHAT_SSE = () -> UsageObserver.forSse(EndpointKind.CHAT_COMPLETIONS);

    @Test
    void randomBytesAreUnparseableAndSettledOnAnEstimate() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = 'x';

        Outcome outcome = Feeding.randomSplits(CHAT_JSON, garbage, 1, 100);

        assertTrue(outcome.unparseable());
        assertEquals(Optional.empty(), outcome.reported());
        assertEquals(TokenUsage.estimated(Feeding.PROMPT_ESTIMATE, 0), outcome.settled());
    }

    @Test
    void randomBytesInStreamDataAreUnparseableAndSettledOnAnEstimate() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        byte[] stream = utf8("data: " + new String(garbage, StandardCharsets.ISO_8859_1));

        Outcome outcome = Feeding.randomSplits(CHAT_SSE, stream, 1, 100);

        assertTrue(outcome.unparseable());
        assertEquals(TokenUsage.estimated(Feeding.PROMPT_ESTIMATE, 0), outcome.settled());
    }

    @Test
    void randomBytesWithoutDataLinesAreNoEventsAndSettledOnAnEstimate() {
        // Unknown fields are ignored by the event-stream format, so this is not malformed.
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = 'x';

        Outcome outcome = Feeding.randomSplits(CHAT_SSE, garbage, 1, 100);

        assertEquals(Optional.empty(), outcome.reported());
        assertEquals(TokenUsage.estimated(Feeding.PROMPT_ESTIMATE, 0), outcome.settled());
    }

    @Test
    void htmlErrorPageIsUnparseable() {
        byte[] html = utf8("<html><body><h1>502 Bad Gateway</h1></body></html>\n");

        assertTrue(Feeding.whole(CHAT_JSON, html).unparseable());
    }

    @Test
    void sseDataThatIsNotJsonIsUnparseable() {
        Outcome outcome = Feeding.whole(CHAT_SSE, utf8("data: hello world\n\n"));

        assertTrue(outcome.unparseable());
        assertTrue(outcome.settled().estimated());
    }

    @Test
    void streamObservedAsJsonIsUnparseableNotMisread() {
        Outcome outcome = Feeding.whole(CHAT_JSON, fixture("chat-stream-usage.sse"));

        assertTrue(outcome.unparseable());
        assertEquals(Optional.empty(), outcome.reported());
    }

    @Test
    void garbageAfterUsageDiscardsTheUsage() {
        byte[] body = utf8("{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}, ]]]");

        Outcome outcome = Feeding.whole(CHAT_JSON, body);

        assertTrue(outcome.unparseable());
        assertEquals(TokenUsage.estimated(Feeding.PROMPT_ESTIMATE, 0), outcome.settled());
    }

    @Test
    void inputAfterFailureIsIgnoredWithoutThrowing() {
        byte[] valid = fixture("chat-completion.json");
        assertTrue(Feeding.whole(CHAT_JSON, valid).generatedCharacters() > 0, "read alone, the completion has text");
        UsageObserver observer = CHAT_JSON.get();
        observer.accept(utf8("}{"), 0, 2);
        assertTrue(observer.unparseable());

        observer.accept(valid, 0, valid.length);
        observer.accept(ByteBuffer.wrap(valid));
        observer.finish();

        assertTrue(observer.unparseable());
        // reportedUsage() is empty for any unparseable body: the text is what shows the input was not read
        assertEquals(0, observer.generatedCharacters(), "nothing after the failure was read");
        assertEquals(TokenUsage.estimated(Feeding.PROMPT_ESTIMATE, 0), observer.usageOrEstimate(Feeding.PROMPT_ESTIMATE));
    }

    @Test
    void truncatedBodyIsEstimatedButNotUnparseable() {
        byte[] body = fixture("chat-completion.json");
        byte[] cut = Arrays.copyOf(body, body.length / 2);

        Outcome outcome = Feeding.whole(CHAT_JSON, cut);

        assertFalse(outcome.unparseable());
        assertEquals(Optional.empty(), outcome.reported());
        assertEquals(TokenUsage.estimated(Feeding.PROMPT_ESTIMATE, 14), outcome.settled());
    }

    @Test
    void bodyTruncatedAfterACompleteUsageObjectKeepsIt() {
        byte[] body = utf8("{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7},\"choices\":[{\"message\":{\"content\":\"He");

        assertEquals(Optional.of(TokenUsage.reported(5, 7)), Feeding.whole(CHAT_JSON, body).reported());
    }

    @Test
    void usageObjectCutShortDoesNotCount() {
        byte[] body = utf8("{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7");

        assertEquals(Optional.empty(), Feeding.whole(CHAT_JSON, body).reported());
    }

    @Test
    void emptyBodyIsEstimated() {
        Outcome outcome = Feeding.whole(CHAT_JSON, new byte[0]);

        assertFalse(outcome.unparseable());
        assertEquals(TokenUsage.estimated(Feeding.PROMPT_ESTIMATE, 0), outcome.settled());
    }

    @Test
    void errorBodyWithoutUsageIsEstimated() {
        byte[] body = utf8("{\"error\":{\"message\":\"The model is overloaded\",\"type\":\"server_error\",\"code\":null}}");

        Outcome outcome = Feeding.whole(CHAT_JSON, body);

        assertFalse(outcome.unparseable());
        assertEquals(TokenUsage.estimated(Feeding.PROMPT_ESTIMATE, 0), outcome.settled());
    }

    @Test
    void nullUsageIsNoUsage() {
        assertEquals(Optional.empty(), Feeding.whole(CHAT_JSON, utf8("{\"usage\":null}")).reported());
    }

    @Test
    void usageWithoutCompletionTokensFillsZero() {
        assertEquals(Optional.of(TokenUsage.reported(5, 0)),
                Feeding.whole(CHAT_JSON, utf8("{\"usage\":{\"prompt_tokens\":5}}")).reported());
    }

    @Test
    void usageWithOnlyPromptAndTotalDerivesCompletion() {
        assertEquals(Optional.of(TokenUsage.reported(5, 7)),
                Feeding.whole(CHAT_JSON, utf8("{\"usage\":{\"prompt_tokens\":5,\"total_tokens\":12}}")).reported());
    }

    @Test
    void embeddingsNeverHaveCompletionTokens() {
        Supplier<UsageObserver> embeddings = () -> UsageObserver.forJson(EndpointKind.EMBEDDINGS);
        byte[] body = utf8("{\"usage\":{\"prompt_tokens\":5,\"total_tokens\":12},\"choices\":[{\"text\":\"abcdefgh\"}]}");

        Outcome outcome = Feeding.whole(embeddings, body);

        assertEquals(Optional.of(TokenUsage.reported(5, 0)), outcome.reported());
        assertEquals(TokenUsage.estimated(3, 0), embeddings.get().usageOrEstimate(3));
    }

    @Test
    void usageObjectWithoutKnownCountsIsNoUsage() {
        byte[] body = utf8("{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":3}}}");

        assertEquals(Optional.empty(), Feeding.whole(CHAT_JSON, body).reported());
    }

    @Test
    void countsThatAreNotNonNegativeIntegersAreIgnored() {
        byte[] body = utf8("{\"usage\":{\"prompt_tokens\":-5,\"completion_tokens\":7.5,"
                + "\"total_tokens\":\"12\",\"input_tokens\":123456789012345678901234567890,\"output_tokens\":4}}");

        Outcome outcome = Feeding.whole(CHAT_JSON, body);

        assertFalse(outcome.unparseable());
        assertEquals(Optional.of(TokenUsage.reported(0, 4)), outcome.reported());
    }

    @Test
    void anthropicCacheTokensAreAddedToThePrompt() {
        Supplier<UsageObserver> messages = () -> UsageObserver.forJson(EndpointKind.MESSAGES);
        byte[] body = utf8("{\"type\":\"message\",\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":200,"
                + "\"cache_read_input_tokens\":3000,\"output_tokens\":40}}");

        assertEquals(Optional.of(TokenUsage.reported(3210, 40)), Feeding.whole(messages, body).reported());
    }

    @Test
    void hugeCountsSaturateInsteadOfOverflowing() {
        Supplier<UsageObserver> messages = () -> UsageObserver.forJson(EndpointKind.MESSAGES);
        byte[] body = utf8("{\"usage\":{\"input_tokens\":9223372036854775807,\"cache_read_input_tokens\":10}}");

        assertEquals(Optional.of(TokenUsage.reported(Long.MAX_VALUE, 0)), Feeding.whole(messages, body).reported());
    }

    @Test
    void reasoningRefusalAndContentPartsCountAsGeneratedText() {
        byte[] body = utf8("{\"choices\":[{\"message\":{\"reasoning_content\":\"abc\",\"reasoning\":\"de\","
                + "\"refusal\":\"f\",\"content\":[{\"type\":\"text\",\"text\":\"ghij\"}]}}]}");

        assertEquals(10, Feeding.whole(CHAT_JSON, body).generatedCharacters());
    }

    @Test
    void logprobsAndEchoedTextDoNotCountAsGeneratedText() {
        byte[] body = utf8("{\"choices\":[{\"text\":\"ab\",\"logprobs\":{\"tokens\":[\"a\",\"b\"]}}],"
                + "\"text\":{\"format\":\"text\"},\"instructions\":\"do it\"}");

        assertEquals(2, Feeding.whole(CHAT_JSON, body).generatedCharacters());
    }

    @Test
    void estimateRoundsGeneratedCharactersUpToTokens() {
        UsageObserver observer = CHAT_JSON.get();
        byte[] body = utf8("{\"choices\":[{\"message\":{\"content\":\"12345\"}}]}");
        observer.accept(body, 0, body.length);
        observer.finish();

        assertEquals(5, observer.generatedCharacters());
        assertEquals(TokenUsage.estimated(40, 2), observer.usageOrEstimate(40));
    }

    @Test
    void byteOrderMarkBeforeJsonBodyIsAccepted() {
        byte[] body = utf8("\uFEFF{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}");

        assertEquals(Optional.of(TokenUsage.reported(5, 7)), Feeding.byteByByte(CHAT_JSON, body).reported());
    }

    @Test
    void contentTypeChoosesTheDecoder() {
        byte[] stream = utf8("data: {\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}\n\n");
        for (String sse : new String[] {"text/event-stream", "Text/Event-Stream ; charset=UTF-8", " text/event-stream"}) {
            assertFalse(Feeding.whole(() -> UsageObserver.forContentType(sse, EndpointKind.OTHER), stream).unparseable(), sse);
        }
        for (String json : new String[] {"application/json", "", "text/plain", "application/x-ndjson"}) {
            assertTrue(Feeding.whole(() -> UsageObserver.forContentType(json, EndpointKind.OTHER), stream).unparseable(), json);
        }
    }

    @Test
    void acceptOfByteBufferAdvancesItsPosition() {
        ByteBuffer buffer = ByteBuffer.wrap(fixture("chat-completion.json"));
        UsageObserver observer = CHAT_JSON.get();

        observer.accept(buffer);

        assertFalse(buffer.hasRemaining());
    }

    @Test
    void acceptAfterFinishIsRejected() {
        UsageObserver observer = CHAT_JSON.get();
        observer.finish();

        assertThrows(IllegalStateException.class, () -> observer.accept(new byte[1], 0, 1));
    }

    @Test
    void finishTwiceIsHarmless() {
        UsageObserver observer = CHAT_SSE.get();
        byte[] stream = fixture("chat-stream-usage.sse");
        observer.accept(stream, 0, stream.length);
        observer.finish();
        observer.finish();

        assertEquals(Optional.of(TokenUsage.reported(9, 12)), observer.reportedUsage());
    }

    @Test
    void badArgumentsAreRejected() {
        UsageObserver observer = CHAT_JSON.get();

        assertThrows(IndexOutOfBoundsException.class, () -> observer.accept(new byte[4], 3, 2));
        assertThrows(IllegalArgumentException.class, () -> observer.usageOrEstimate(-1));
        assertThrows(NullPointerException.class, () -> UsageObserver.forJson(null));
        assertThrows(NullPointerException.class, () -> UsageObserver.forContentType(null, EndpointKind.OTHER));
    }
}
