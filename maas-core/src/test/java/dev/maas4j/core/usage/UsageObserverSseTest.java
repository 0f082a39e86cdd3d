package dev.maas4j.core.usage;

import static dev.maas4j.core.usage.Feeding.fixture;
import static dev.maas4j.core.usage.Feeding.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.usage.Feeding.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Server-sent event framing, and the stream shapes around usage. */
class UsageObserverSseTest {

    private static final Supplier<UsageObserver> CHAT = () -> UsageObserver.forSse(EndpointKind.CHAT_COMPLETIONS);

    private static final String USAGE_CHUNK =
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,\"total_tokens\":21}}";

    private static String content(String text) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}],\"usage\":null}";
    }

    @Test
    void commentsEventIdAndRetryLinesAreIgnored() {
        String stream = ": OPENROUTER PROCESSING\n\n"
                + "retry: 3000\nid: 1\nevent: chunk\n: comment inside an event\ndata: " + content("Hi") + "\n\n"
                + ":\n\n"
                + "event: usage\ndata: " + USAGE_CHUNK + "\nid: 2\n\n"
                + "data: [DONE]\n\n";

        Outcome outcome = Feeding.whole(CHAT, utf8(stream));

        assertEquals(Optional.of(TokenUsage.reported(9, 12)), outcome.reported());
        assertEquals(2, outcome.generatedCharacters());
        assertFalse(outcome.unparseable());
    }

    @Test
    void doneTerminatorIsNotParsedAsJsonWithOrWithoutSpaceOrTrailingBlanks() {
        for (String done : new String[] {"data: [DONE]", "data:[DONE]", "data: [DONE]  \t"}) {
            String stream = "data: " + USAGE_CHUNK + "\n\n" + done + "\n\n";

            Outcome outcome = Feeding.byteByByte(CHAT, utf8(stream));

            assertFalse(outcome.unparseable(), done);
            assertEquals(Optional.of(TokenUsage.reported(9, 12)), outcome.reported(), done);
        }
    }

    @Test
    void dataThatOnlyStartsLikeDoneIsParsedAsJson() {
        String stream = "data: [DONE]x\n\n";

        assertTrue(Feeding.whole(CHAT, utf8(stream)).unparseable());
        assertTrue(Feeding.byteByByte(CHAT, utf8(stream)).unparseable());
    }

    @Test
    void jsonArrayEventIsNotMistakenForDone() {
        String stream = "data: [1, {\"usage\":{\"prompt_tokens\":999}}]\n\ndata: " + USAGE_CHUNK + "\n\n";

        Outcome outcome = Feeding.byteByByte(CHAT, utf8(stream));

        assertFalse(outcome.unparseable());
        assertEquals(Optional.of(TokenUsage.reported(9, 12)), outcome.reported());
    }

    @Test
    void usageSplitAcrossTwoNetworkChunksIsRead() {
        byte[] stream = fixture("chat-stream-usage.sse");
        String text = new String(stream, StandardCharsets.UTF_8);
        Outcome expected = new Outcome(Optional.of(TokenUsage.reported(9, 12)), 43, false, TokenUsage.reported(9, 12));

        // Inside the "usage" key, inside "prompt_tokens", and between the digits of 12.
        for (String cut : new String[] {"\"usa", "\"prompt_to", "\"completion_tokens\":1"}) {
            int at = text.indexOf(cut, text.indexOf("\"choices\":[]")) + cut.length();
            assertEquals(expected, Feeding.splitAt(CHAT, stream, byteIndex(text, at)), cut);
        }
    }

    @Test
    void crlfSplitBetweenCrAndLfEndsOneLineOnly() {
        String stream = "data: " + content("Hi") + "\r\n\r\ndata: " + USAGE_CHUNK + "\r\n\r\ndata: [DONE]\r\n\r\n";
        byte[] bytes = utf8(stream);
        int firstCr = stream.indexOf('\r');
        int secondCr = stream.indexOf('\r', firstCr + 2);

        Outcome outcome = Feeding.splitAt(CHAT, bytes, firstCr + 1, secondCr + 1);

        assertEquals(Optional.of(TokenUsage.reported(9, 12)), outcome.reported());
        assertEquals(2, outcome.generatedCharacters());
    }

    @Test
    void multiLineDataIsJoinedIntoOneDocument() {
        String stream = "data: {\"choices\":[],\n"
                + "data: \"usage\":{\"prompt_tokens\":9,\n"
                + "data:\"completion_tokens\":12}}\n\n";

        assertEquals(Optional.of(TokenUsage.reported(9, 12)), Feeding.byteByByte(CHAT, utf8(stream)).reported());
    }

    @Test
    void nullUsageInEarlierChunksIsIgnoredAndLastUsageWins() {
        String stream = "data: " + content("a") + "\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}\n\n"
                + "data: " + content("b") + "\n\n"
                + "data: " + USAGE_CHUNK + "\n\n"
                + "data: {\"choices\":[],\"usage\":null}\n\n";

        assertEquals(Optional.of(TokenUsage.reported(9, 12)), Feeding.whole(CHAT, utf8(stream)).reported());
    }

    @Test
    void lastEventWithoutTrailingBlankLineStillCounts() {
        String stream = "data: " + content("Hi") + "\n\ndata: " + USAGE_CHUNK;

        Outcome outcome = Feeding.byteByByte(CHAT, utf8(stream));

        assertEquals(Optional.of(TokenUsage.reported(9, 12)), outcome.reported());
        assertFalse(outcome.unparseable());
    }

    @Test
    void streamCutInsideTheUsageChunkFallsBackToTheEstimateWithoutBeingUnparseable() {
        String stream = "data: " + content("Hello, world") + "\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tok";

        Outcome outcome = Feeding.whole(CHAT, utf8(stream));

        assertFalse(outcome.unparseable());
        assertEquals(Optional.empty(), outcome.reported());
        assertEquals(TokenUsage.estimated(Feeding.PROMPT_ESTIMATE, 3), outcome.settled());
    }

    @Test
    void eventEndingInsideJsonValueMakesStreamUnparseable() {
        String stream = "data: {\"choices\":[],\n\ndata: " + USAGE_CHUNK + "\n\n";

        Outcome outcome = Feeding.whole(CHAT, utf8(stream));

        assertTrue(outcome.unparseable());
        assertEquals(Optional.empty(), outcome.reported());
        assertTrue(outcome.settled().estimated());
    }

    @Test
    void eventOverTheSizeLimitIsSkippedAndLaterEventsStillCount() {
        String huge = "x".repeat(UsageObserver.MAX_EVENT_BYTES + 1);
        String stream = "data: " + content("Hi") + "\n\n"
                + "data: " + content(huge) + "\n\n"
                + "data: " + USAGE_CHUNK + "\n\n";
        byte[] bytes = utf8(stream);

        for (Outcome outcome : new Outcome[] {
                Feeding.whole(CHAT, bytes), Feeding.randomSplits(CHAT, bytes, 7, 16 * 1024)}) {
            assertFalse(outcome.unparseable());
            assertEquals(Optional.of(TokenUsage.reported(9, 12)), outcome.reported());
            assertEquals(2, outcome.generatedCharacters());
        }
    }

    @Test
    void multiLineEventOverTheSizeLimitIsSkippedWhole() {
        String line = "data: " + " ".repeat(UsageObserver.MAX_EVENT_BYTES / 2) + "\n";
        String stream = "data: {\"choices\":[],\n" + line + line
                + "data: \"usage\":{\"prompt_tokens\":999,\"completion_tokens\":999}}\n\n"
                + "data: " + USAGE_CHUNK + "\n\n";

        Outcome outcome = Feeding.whole(CHAT, utf8(stream));

        assertFalse(outcome.unparseable());
        assertEquals(Optional.of(TokenUsage.reported(9, 12)), outcome.reported());
    }

    @Test
    void byteOrderMarkAtStreamStartIsSkipped() {
        byte[] stream = utf8("\uFEFFdata: " + USAGE_CHUNK + "\n\n");

        assertEquals(Optional.of(TokenUsage.reported(9, 12)), Feeding.byteByByte(CHAT, stream).reported());
    }

    @Test
    void otherFieldsThatStartLikeDataAreIgnored() {
        String stream = "dat: {\n\ndatabase: {\n\ndata: " + USAGE_CHUNK + "\n\n";

        Outcome outcome = Feeding.byteByByte(CHAT, utf8(stream));

        assertFalse(outcome.unparseable());
        assertEquals(Optional.of(TokenUsage.reported(9, 12)), outcome.reported());
    }

    @Test
    void reasoningAndToolCallDeltasCountAsGeneratedText() {
        String stream = "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"think\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"reasoning\":\"more\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":1}\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"text\":\"legacy\"}]}\n\n";

        assertEquals(5 + 4 + 7 + 6, Feeding.byteByByte(CHAT, utf8(stream)).generatedCharacters());
    }

    @Test
    void responsesTextDeltaCountsEvenWhenTypeFollowsIt() {
        Supplier<UsageObserver> responses = () -> UsageObserver.forSse(EndpointKind.RESPONSES);
        String stream = "data: {\"delta\":\"Hello\",\"type\":\"response.output_text.delta\"}\n\n"
                + "data: {\"type\":\"response.function_call_arguments.delta\",\"delta\":\"{}\"}\n\n"
                + "data: {\"type\":\"response.audio.delta\",\"delta\":\"UklGRiQAAABXQVZF\"}\n\n";

        assertEquals(5 + 2, Feeding.byteByByte(responses, utf8(stream)).generatedCharacters());
    }

    @Test
    void responsesIncompleteAndFailedEventsCarryUsageToo() {
        Supplier<UsageObserver> responses = () -> UsageObserver.forSse(EndpointKind.RESPONSES);
        for (String type : new String[] {"response.incomplete", "response.failed"}) {
            String stream = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"usage\":null}}\n\n"
                    + "event: " + type + "\ndata: {\"type\":\"" + type + "\",\"response\":{\"status\":\"incomplete\","
                    + "\"usage\":{\"input_tokens\":20,\"output_tokens\":16,\"total_tokens\":36}}}\n\n";

            assertEquals(Optional.of(TokenUsage.reported(20, 16)), Feeding.whole(responses, utf8(stream)).reported());
        }
    }

    @Test
    void anthropicStreamKeepsInputFromMessageStartAndTakesLastOutput() {
        Supplier<UsageObserver> messages = () -> UsageObserver.forSse(EndpointKind.MESSAGES);
        String stream = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
                + "{\"input_tokens\":25,\"cache_read_input_tokens\":100,\"output_tokens\":1}}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":7}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":15}}\n\n";

        assertEquals(Optional.of(TokenUsage.reported(125, 15)), Feeding.whole(messages, utf8(stream)).reported());
    }

    @Test
    void anthropicStreamCutAfterMessageStartIsEstimatedWithItsReportedInput() {
        Supplier<UsageObserver> messages = () -> UsageObserver.forSse(EndpointKind.MESSAGES);
        String stream = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
                + "{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello there, how are you?\"}}\n\n";

        Outcome outcome = Feeding.whole(messages, utf8(stream));

        assertEquals(Optional.empty(), outcome.reported());
        assertEquals(TokenUsage.estimated(25, 7), outcome.settled());
    }

    private static int byteIndex(String text, int charIndex) {
        return text.substring(0, charIndex).getBytes(StandardCharsets.UTF_8).length;
    }
}
