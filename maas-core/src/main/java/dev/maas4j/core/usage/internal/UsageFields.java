package dev.maas4j.core.usage.internal;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.TokenUsage;
import java.util.Arrays;

/**
 * The count fields of a usage object, across the OpenAI and Anthropic APIs, and what they mean
 * together: a usage object's counts are a {@code long[]} indexed by field ({@link #index}), a
 * field not present being {@link #ABSENT}; {@link #promptTokens} and {@link #completionTokens}
 * turn them into one meaning whatever API sent them. Kept apart from {@link UsagePathReader},
 * which finds the usage objects, because this is the part that changes when an API adds a count.
 *
 * <p>Static methods over arrays the caller owns: no state, no allocation but {@link #absent()}.
 */
final class UsageFields {
    static final int PROMPT_TOKENS = 0;
    static final int COMPLETION_TOKENS = 1;
    static final int TOTAL_TOKENS = 2;
    static final int INPUT_TOKENS = 3;
    static final int OUTPUT_TOKENS = 4;
    static final int CACHE_CREATION_INPUT_TOKENS = 5;
    static final int CACHE_READ_INPUT_TOKENS = 6;
    /** How many fields there are: the length of a counts array. */
    static final int COUNT = 7;
    /** A field the usage object did not carry (or carried as something other than a count). */
    static final long ABSENT = -1;

    private UsageFields() {
    }

    /** The index of the count field {@code name}, or -1 if it is not one. */
    static int index(String name) {
        switch (name) {
            case "prompt_tokens":
                return PROMPT_TOKENS;
            case "completion_tokens":
                return COMPLETION_TOKENS;
            case "total_tokens":
                return TOTAL_TOKENS;
            case "input_tokens":
                return INPUT_TOKENS;
            case "output_tokens":
                return OUTPUT_TOKENS;
            case "cache_creation_input_tokens":
                return CACHE_CREATION_INPUT_TOKENS;
            case "cache_read_input_tokens":
                return CACHE_READ_INPUT_TOKENS;
            default:
                return -1;
        }
    }

    /** A new counts array with every field absent. */
    static long[] absent() {
        long[] fields = new long[COUNT];
        clear(fields);
        return fields;
    }

    /** Marks every field of {@code fields} absent. */
    static void clear(long[] fields) {
        Arrays.fill(fields, ABSENT);
    }

    /** Copies the present fields of {@code from} into {@code into}; whether there was one. */
    static boolean merge(long[] from, long[] into) {
        boolean any = false;
        for (int i = 0; i < COUNT; i++) {
            if (from[i] != ABSENT) {
                into[i] = from[i];
                any = true;
            }
        }
        return any;
    }

    /** The reported usage {@code fields} amount to; no completion for an endpoint that generates none. */
    static TokenUsage reported(long[] fields, EndpointKind kind) {
        long prompt = promptTokens(fields);
        return TokenUsage.reported(prompt, kind.generates() ? completionTokens(fields, prompt) : 0);
    }

    /**
     * Prompt tokens. OpenAI's prompt and input counts include cached tokens; Anthropic's
     * {@code input_tokens} excludes the tokens written to and read from the prompt cache, so those
     * are added back to give the same meaning.
     */
    static long promptTokens(long[] fields) {
        if (fields[PROMPT_TOKENS] != ABSENT) {
            return fields[PROMPT_TOKENS];
        }
        long prompt = Math.max(0, fields[INPUT_TOKENS]);
        prompt = SaturatingMath.add(prompt, Math.max(0, fields[CACHE_CREATION_INPUT_TOKENS]));
        return SaturatingMath.add(prompt, Math.max(0, fields[CACHE_READ_INPUT_TOKENS]));
    }

    /** Completion tokens; derived from the total when only that is reported, else 0. */
    static long completionTokens(long[] fields, long prompt) {
        if (fields[COMPLETION_TOKENS] != ABSENT) {
            return fields[COMPLETION_TOKENS];
        }
        if (fields[OUTPUT_TOKENS] != ABSENT) {
            return fields[OUTPUT_TOKENS];
        }
        if (fields[TOTAL_TOKENS] != ABSENT) {
            return Math.max(0, fields[TOTAL_TOKENS] - prompt);
        }
        return 0;
    }
}
