package dev.maas4j.core.usage;

/**
 * The one rule by which maas4j turns text into tokens when a model has not reported its counts:
 * every ASCII character counts a quarter of a token, rounded up over the text
 * ({@code ceil(ascii / 4)}), and every other UTF-16 code unit counts one whole token.
 *
 * <p>This is a heuristic, not a tokenizer. Four characters per token is about right for English
 * prose with OpenAI and Llama-style tokenizers. Other scripts take far more tokens per character:
 * Chinese, Japanese and Korean about one per character, often more, and Cyrillic, Greek, Arabic or
 * emoji similar or more; counting them four to a token undercounted 400 Chinese characters as 104
 * tokens. One token per code unit is conservative for them without a tokenizer: a character
 * outside the Basic Multilingual Plane (an emoji) is two code units, so two tokens. Code and
 * numbers in ASCII can still take more than a token per four characters, so an estimate can fall
 * short; it is used only to reserve quota before a request runs and to settle a request whose
 * response reported no usage, and reported counts always win. Keeping it in one place keeps
 * reservations and settlements consistent with each other.
 *
 * <pre>{@code
 * long tokens = TokenEstimates.fromText("Hello, world");   // 12 ASCII characters -> 3 tokens
 * long cjk = TokenEstimates.fromText("你好");               // 2 code units -> 2 tokens
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class TokenEstimates {

    private TokenEstimates() {
    }

    /**
     * Estimated tokens for {@code characters} characters of ASCII (or unknown) text:
     * {@code ceil(characters / 4)}. For text whose characters are known, prefer
     * {@link #fromText(long, long)}, which does not undercount other scripts.
     *
     * @param characters number of characters (UTF-16 code units), not negative
     * @return the estimate, 0 for 0 characters
     * @throws IllegalArgumentException if {@code characters} is negative
     */
    public static long fromCharacters(long characters) {
        if (characters < 0) {
            throw new IllegalArgumentException("characters must not be negative, was " + characters);
        }
        // Not (characters + 3) / 4, which overflows near Long.MAX_VALUE.
        return characters / 4 + (characters % 4 == 0 ? 0 : 1);
    }

    /**
     * Estimated tokens for text of {@code asciiCharacters} ASCII characters and
     * {@code otherCharacters} other UTF-16 code units: {@code ceil(ascii / 4) + other}, at most
     * {@link Long#MAX_VALUE}.
     *
     * @param asciiCharacters characters below {@code U+0080}, not negative
     * @param otherCharacters every other UTF-16 code unit, not negative
     * @return the estimate
     * @throws IllegalArgumentException if a count is negative
     */
    public static long fromText(long asciiCharacters, long otherCharacters) {
        if (asciiCharacters < 0) {
            throw new IllegalArgumentException("asciiCharacters must not be negative, was " + asciiCharacters);
        }
        if (otherCharacters < 0) {
            throw new IllegalArgumentException("otherCharacters must not be negative, was " + otherCharacters);
        }
        long ascii = fromCharacters(asciiCharacters);
        long total = ascii + otherCharacters;
        return total < 0 ? Long.MAX_VALUE : total;
    }

    /**
     * Estimated tokens of {@code text} by {@link #fromText(long, long)}.
     *
     * @param text the text
     * @return the estimate
     */
    public static long fromText(CharSequence text) {
        int other = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                other++;
            }
        }
        return fromText(text.length() - other, other);
    }

    /**
     * How many of the UTF-16 code units {@code text[offset .. offset + length)} are not ASCII, and
     * so count one token each; the rest count a quarter. Reads the array in place (a parser's text
     * buffer, say) and allocates nothing.
     *
     * @param text   the characters
     * @param offset the first character
     * @param length how many characters
     * @return the number of code units at or above {@code U+0080}
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public static int countNonAscii(char[] text, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, text.length);
        int other = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            if (text[i] >= 0x80) {
                other++;
            }
        }
        return other;
    }
}
