package dev.maas4j.core.usage;

/**
 * The one rule by which maas4j turns characters into tokens when a model has not reported its
 * counts: {@code ceil(characters / 4)}.
 *
 * <p>This is a heuristic, not a tokenizer. Four characters per token is about right for English
 * prose with OpenAI and Llama-style tokenizers; code, numbers and languages such as Chinese or
 * Japanese take more tokens per character, so an estimate can fall short. It is used only to
 * reserve quota before a request runs and to settle a request whose response reported no usage;
 * reported counts always win. Keeping it in one place keeps reservations and settlements
 * consistent with each other.
 *
 * <pre>{@code
 * long tokens = TokenEstimates.fromCharacters(text.length()); // 10 characters -> 3 tokens
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class TokenEstimates {

    private TokenEstimates() {
    }

    /**
     * Estimated tokens for {@code characters} characters of text: {@code ceil(characters / 4)}.
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
}
