package dev.maas4j.core.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenEstimatesTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "3, 1", "4, 1", "5, 2", "8, 2", "9, 3", "9223372036854775807, 2305843009213693952"})
    void charactersRoundUpToWholeTokensOfFour(long characters, long tokens) {
        assertEquals(tokens, TokenEstimates.fromCharacters(characters));
    }

    @Test
    void negativeCharactersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TokenEstimates.fromCharacters(-1));
    }
}
