package dev.maas4j.core.usage;

import static dev.maas4j.core.usage.Feeding.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.usage.Feeding.Outcome;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture (shapes from the OpenAI and Anthropic API references) read whole, byte by byte,
 * in random splits, through byte buffers and, for streams, with CRLF and CR line ends: the
 * results must not depend on how the bytes arrive.
 */
class UsageObserverFixtureTest {

    private static final long SEED = 0x5EED_2024L;

    /** A fixture and what it holds. */
    record Case(String name, EndpointKind kind, boolean sse, Optional<TokenUsage> usage, long generated) {

        Supplier<UsageObserver> observers() {
            return () -> sse ? UsageObserver.forSse(kind) : UsageObserver.forJson(kind);
        }

        byte[] response() {
            return fixture(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> fixtures() {
        return Stream.of(
                json("chat-completion.json", EndpointKind.CHAT_COMPLETIONS, reported(19, 10), 53),
                json("chat-tool-call.json", EndpointKind.CHAT_COMPLETIONS, reported(82, 17), 61),
                json("chat-usage-decoys.json", EndpointKind.CHAT_COMPLETIONS, reported(31, 12), 76),
                json("embeddings.json", EndpointKind.EMBEDDINGS, reported(8, 0), 0),
                json("responses.json", EndpointKind.RESPONSES, reported(36, 87), 140),
                json("anthropic-message.json", EndpointKind.MESSAGES, reported(2095, 503), 26),
                sse("chat-stream-usage.sse", EndpointKind.CHAT_COMPLETIONS, reported(9, 12), 43),
                sse("chat-stream-no-usage.sse", EndpointKind.CHAT_COMPLETIONS, Optional.empty(), 43),
                sse("chat-stream-decoys.sse", EndpointKind.CHAT_COMPLETIONS, reported(14, 6), 48),
                sse("responses-stream.sse", EndpointKind.RESPONSES, reported(37, 11), 37),
                sse("anthropic-stream.sse", EndpointKind.MESSAGES, reported(472, 89), 53));
    }

    static Stream<Case> streams() {
        return fixtures().filter(Case::sse);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureReadWholeGivesItsUsageAndGeneratedText(Case fixture) {
        Outcome outcome = Feeding.whole(fixture.observers(), fixture.response());

        assertFalse(outcome.unparseable());
        assertEquals(fixture.usage(), outcome.reported());
        assertEquals(fixture.generated(), outcome.generatedCharacters());
        TokenUsage estimate = TokenUsage.estimated(Feeding.PROMPT_ESTIMATE,
                TokenEstimates.fromCharacters(fixture.generated()));
        assertEquals(fixture.usage().orElse(estimate), outcome.settled());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureFedByteByByteGivesSameOutcomeAsWhole(Case fixture) {
        assertEquals(Feeding.whole(fixture.observers(), fixture.response()),
                Feeding.byteByByte(fixture.observers(), fixture.response()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureFedInRandomSplitsGivesSameOutcomeAsWhole(Case fixture) {
        Outcome whole = Feeding.whole(fixture.observers(), fixture.response());
        for (int round = 0; round < 50; round++) {
            int meanPiece = 1 + round % 10 * 7;
            assertEquals(whole, Feeding.randomSplits(fixture.observers(), fixture.response(), SEED + round, meanPiece),
                    "round " + round);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureFedThroughByteBuffersGivesSameOutcomeAsWhole(Case fixture) {
        assertEquals(Feeding.whole(fixture.observers(), fixture.response()),
                Feeding.byteBuffers(fixture.observers(), fixture.response()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureObservedThroughItsContentTypeGivesSameOutcome(Case fixture) {
        String contentType = fixture.sse() ? "text/event-stream; charset=utf-8" : "application/json";
        assertEquals(Feeding.whole(fixture.observers(), fixture.response()),
                Feeding.whole(() -> UsageObserver.forContentType(contentType, fixture.kind()), fixture.response()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void streamWithCrlfLineEndsGivesSameOutcomeInAnySplit(Case fixture) {
        Outcome lf = Feeding.whole(fixture.observers(), fixture.response());
        byte[] crlf = Feeding.withLineEnds(fixture.response(), "\r\n");

        assertEquals(lf, Feeding.whole(fixture.observers(), crlf));
        assertEquals(lf, Feeding.byteByByte(fixture.observers(), crlf));
        for (int round = 0; round < 20; round++) {
            assertEquals(lf, Feeding.randomSplits(fixture.observers(), crlf, SEED + round, 1 + round * 3));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void streamWithCrLineEndsGivesSameOutcome(Case fixture) {
        Outcome lf = Feeding.whole(fixture.observers(), fixture.response());
        byte[] cr = Feeding.withLineEnds(fixture.response(), "\r");

        assertEquals(lf, Feeding.whole(fixture.observers(), cr));
        assertEquals(lf, Feeding.byteByByte(fixture.observers(), cr));
    }

    private static Case json(String name, EndpointKind kind, Optional<TokenUsage> usage, long generated) {
        return new Case(name, kind, false, usage, generated);
    }

    private static Case sse(String name, EndpointKind kind, Optional<TokenUsage> usage, long generated) {
        return new Case(name, kind, true, usage, generated);
    }

    private static Optional<TokenUsage> reported(long prompt, long completion) {
        return Optional.of(TokenUsage.reported(prompt, completion));
    }
}
