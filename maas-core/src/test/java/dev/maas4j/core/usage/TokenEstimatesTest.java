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
        assertThrows(IllegalArgumentException.class, () -> TokenEstimates.fromText(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> TokenEstimates.fromText(0, -1));
    }

    @ParameterizedTest
    @CsvSource({"0, 0, 0", "5, 0, 2", "0, 3, 3", "5, 3, 5", "9223372036854775807, 9223372036854775807, 9223372036854775807"})
    void asciiCountsAQuarterAndEveryOtherCodeUnitAWholeToken(long ascii, long other, long tokens) {
        assertEquals(tokens, TokenEstimates.fromText(ascii, other));
    }

    @Test
    void textIsClassifiedByCodeUnit() {
        assertEquals(3, TokenEstimates.fromText("Hello, world"));
        assertEquals(400, TokenEstimates.fromText("\u4f60\u597d".repeat(200)));
        assertEquals(1 + 2, TokenEstimates.fromText("hi \ud83d\udc4b"));
        char[] buffer = "xx\u00e9t\u00e9yy".toCharArray();
        assertEquals(2, TokenEstimates.countNonAscii(buffer, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> TokenEstimates.countNonAscii(buffer, 5, 9));
    }
}
