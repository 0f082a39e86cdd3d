package dev.maas4j.core;

import dev.maas4j.api.Outcome;
import dev.maas4j.api.TokenUsage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The settlement rules every adapter shares: what an answer is charged. */
class SettlementTest {
    private static final TokenUsage SEEN = TokenUsage.estimated(12, 30);

    @Test
    void aClientThatLeftIsChargedWhatWasSeenAsAborted() {
        Settlement s = Settlement.builder(200).usage(SEEN).outputProduced(true).clientGone(true).build();
        assertEquals(Outcome.CLIENT_ABORTED, s.outcome());
        assertEquals(SEEN, s.charge(12));
        assertEquals(499, s.recordedStatus());
    }

    @Test
    void aServerErrorBeforeAnyOutputIsChargedNothing() {
        Settlement s = Settlement.builder(502).build();
        assertEquals(Outcome.UPSTREAM_ERROR, s.outcome());
        assertEquals(TokenUsage.NONE, s.charge(12));
    }

    @Test
    void anUpstreamThatBrokeOffMidAnswerIsChargedWhatItProduced() {
        Settlement s = Settlement.builder(200).usage(SEEN).outputProduced(true).upstreamBrokeOff(true).build();
        assertEquals(Outcome.SUCCESS, s.outcome());
        assertEquals(SEEN, s.charge(12));
    }

    @Test
    void aModelThatRefusedTheRequestChargesNothing() {
        Settlement s = Settlement.builder(400).usage(TokenUsage.estimated(12, 0)).build();
        assertEquals(Outcome.SUCCESS, s.outcome());
        assertEquals(TokenUsage.NONE, s.charge(12));
    }

    @Test
    void reportedUsageIsChargedEvenWithAnErrorStatus() {
        TokenUsage reported = TokenUsage.reported(9, 0);
        Settlement s = Settlement.builder(400).usage(reported).reported(true).build();
        assertEquals(reported, s.charge(12));
    }

    @Test
    void anAnswerWithNothingObservedIsChargedThePromptEstimate() {
        assertEquals(TokenUsage.estimated(12, 0), Settlement.builder(200).build().charge(12));
    }

    @Test
    void aStatusMustBeOne() {
        assertThrows(IllegalArgumentException.class, () -> Settlement.builder(-1).build());
    }
}
