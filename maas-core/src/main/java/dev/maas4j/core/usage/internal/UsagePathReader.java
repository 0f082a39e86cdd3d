package dev.maas4j.core.usage.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.usage.TokenEstimates;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the token stream of response documents (a JSON body, or one SSE event's data each) and
 * keeps what token accounting needs: the usage objects found at the places where the OpenAI Chat
 * Completions, Completions, Embeddings and Responses APIs and the Anthropic Messages API put them,
 * and the number of characters of generated text.
 *
 * <p>The reader tracks the position of every token in a small tree of known paths. A container
 * whose position is not in the tree is skipped as a whole: that is what keeps a {@code usage} key
 * inside message content, tool arguments or an echoed request from counting. How the counts of a
 * usage object combine is {@code UsageFields}' part. Not thread-safe.
 *
 * <p>About 400 lines, on purpose: the tree's positions are the states of this token-by-token
 * walker and {@code child}, {@code asObject} and {@code asArray} its transitions, so a path is
 * checked against the APIs by reading states and transitions together, in one place.
 */
public final class UsagePathReader {

    // Positions of the known-paths tree. Containers first.
    private static final int IGNORED = 0;
    private static final int ROOT = 1;
    /** A usage object that settles the counts: top-level, or {@code response.usage}. */
    private static final int USAGE = 2;
    /**
     * Anthropic's {@code message_start} {@code message.usage}: its input count is final but its
     * output count is a placeholder, superseded by the {@code message_delta} usage.
     */
    private static final int PROVISIONAL_USAGE = 3;
    private static final int CHOICES = 4;
    private static final int CHOICE = 5;
    /** {@code choices[].message} or {@code choices[].delta}. */
    private static final int MESSAGE = 6;
    private static final int TOOL_CALLS = 7;
    private static final int TOOL_CALL = 8;
    private static final int FUNCTION = 9;
    /** The Responses API stream events' {@code response}. */
    private static final int RESPONSE = 10;
    /** The Anthropic {@code message_start} event's {@code message}. */
    private static final int START_MESSAGE = 11;
    /** The Responses API {@code output} array. */
    private static final int OUTPUT = 12;
    private static final int OUTPUT_ITEM = 13;
    /** An array of content blocks or parts. */
    private static final int BLOCKS = 14;
    /** A content block, part or delta object, whose text-like fields are generated text. */
    private static final int BLOCK = 15;
    // Scalar (or either) positions.
    /** A string of generated text. */
    private static final int TEXT = 16;
    /** Generated text as a string, or an array of {@link #BLOCKS}. */
    private static final int TEXT_OR_BLOCKS = 17;
    /** The top-level {@code type} of an event. */
    private static final int EVENT_TYPE = 18;
    /** Top-level {@code delta}: a string in Responses events, a {@link #BLOCK} in Anthropic ones. */
    private static final int EVENT_DELTA = 19;
    /** First of the usage count fields; the {@linkplain UsageFields#index field index} is added. */
    private static final int USAGE_FIELD = 20;

    /** Responses API stream events whose top-level {@code delta} string is generated text. */
    private static final Set<String> TEXT_DELTA_EVENTS = Set.of(
            "response.output_text.delta",
            "response.refusal.delta",
            "response.reasoning_text.delta",
            "response.reasoning_summary_text.delta",
            "response.function_call_arguments.delta",
            "response.custom_tool_call_input.delta");

    // The known-paths tree has no cycle and is at most 7 containers deep (root, choices, choice,
    // message, tool_calls, tool_call, function), so a fixed stack is enough.
    private final int[] stack = new int[8];
    private int depth;
    /** Depth inside an ignored container, 0 when not inside one. */
    private int skipping;
    /** The position of the value that follows the current field name. */
    private int fieldPosition;

    // Per document (root value).
    private boolean textDeltaEvent;
    private long pendingDeltaCharacters;
    private final long[] counts = UsageFields.absent();

    // Committed results.
    private final long[] reported = UsageFields.absent();
    private final long[] provisional = UsageFields.absent();
    private boolean hasReported;
    private boolean hasProvisional;
    private long generatedCharacters;

    /** Handles the next token of {@code parser}, which has just returned {@code token}. */
    public void onToken(JsonToken token, JsonParser parser) throws IOException {
        int id = token.id();
        if (skipping > 0) {
            if (id == JsonTokenId.ID_START_OBJECT || id == JsonTokenId.ID_START_ARRAY) {
                skipping++;
            } else if (id == JsonTokenId.ID_END_OBJECT || id == JsonTokenId.ID_END_ARRAY) {
                if (--skipping == 0 && depth == 0) {
                    documentEnded();
                }
            }
            return;
        }
        switch (id) {
            case JsonTokenId.ID_FIELD_NAME:
                fieldPosition = child(stack[depth - 1], parser.currentName());
                break;
            case JsonTokenId.ID_START_OBJECT:
                open(asObject(valuePosition()));
                break;
            case JsonTokenId.ID_START_ARRAY:
                open(asArray(valuePosition()));
                break;
            case JsonTokenId.ID_END_OBJECT:
            case JsonTokenId.ID_END_ARRAY:
                close();
                break;
            case JsonTokenId.ID_STRING:
                onString(valuePosition(), parser);
                scalarEnded();
                break;
            case JsonTokenId.ID_NUMBER_INT:
                onInteger(valuePosition(), parser);
                scalarEnded();
                break;
            default:
                scalarEnded();
                break;
        }
    }

    /** Whether the reader is inside a document (a JSON value was started but not finished). */
    public boolean insideDocument() {
        return depth > 0 || skipping > 0;
    }

    /** Forgets the document in progress, e.g. when the rest of an oversized event is skipped. */
    public void abandonDocument() {
        depth = 0;
        skipping = 0;
        textDeltaEvent = false;
        pendingDeltaCharacters = 0;
    }

    /** Characters of generated text read so far. */
    public long generatedCharacters() {
        return generatedCharacters;
    }

    /**
     * The usage reported so far: the settling usage objects merged field by field (a later object
     * overrides the fields it carries), over the provisional one. Empty until a settling usage
     * object with a known count has been read completely.
     */
    public Optional<TokenUsage> reported(EndpointKind kind) {
        if (!hasReported) {
            return Optional.empty();
        }
        long[] merged = provisional.clone();
        UsageFields.merge(reported, merged);
        return Optional.of(UsageFields.reported(merged, kind));
    }

    /**
     * An estimate: {@code promptTokensEstimate} and the generated characters converted by
     * {@link TokenEstimates#fromCharacters}. When {@code useProvisional} and a provisional usage
     * was read (a stream cut before its settling usage), its prompt count replaces the estimate
     * and its output count is a floor for the completion.
     */
    public TokenUsage estimate(EndpointKind kind, long promptTokensEstimate, boolean useProvisional) {
        long prompt = promptTokensEstimate;
        long completion = kind.generates() ? TokenEstimates.fromCharacters(generatedCharacters) : 0;
        if (useProvisional && hasProvisional) {
            prompt = UsageFields.promptTokens(provisional);
            if (kind.generates()) {
                completion = Math.max(completion, UsageFields.completionTokens(provisional, prompt));
            }
        }
        return TokenUsage.estimated(prompt, completion);
    }

    private int valuePosition() {
        if (depth == 0) {
            return ROOT;
        }
        int parent = stack[depth - 1];
        switch (parent) {
            case CHOICES:
                return CHOICE;
            case TOOL_CALLS:
                return TOOL_CALL;
            case OUTPUT:
                return OUTPUT_ITEM;
            case BLOCKS:
                return BLOCK;
            default:
                return fieldPosition;
        }
    }

    private void open(int container) {
        if (container == IGNORED) {
            skipping = 1;
            return;
        }
        stack[depth++] = container;
        if (container == USAGE || container == PROVISIONAL_USAGE) {
            UsageFields.clear(counts);
        }
    }

    private void close() {
        int container = stack[--depth];
        if (container == USAGE) {
            hasReported |= UsageFields.merge(counts, reported);
        } else if (container == PROVISIONAL_USAGE) {
            hasProvisional |= UsageFields.merge(counts, provisional);
        }
        if (depth == 0) {
            documentEnded();
        }
    }

    private void scalarEnded() {
        if (depth == 0) {
            documentEnded();
        }
    }

    private void documentEnded() {
        // The type may follow the delta in the event object, so the delta waits for the end.
        if (textDeltaEvent) {
            generatedCharacters += pendingDeltaCharacters;
        }
        textDeltaEvent = false;
        pendingDeltaCharacters = 0;
    }

    private void onString(int position, JsonParser parser) throws IOException {
        switch (position) {
            case TEXT:
            case TEXT_OR_BLOCKS:
                generatedCharacters += parser.getTextLength();
                break;
            case EVENT_DELTA:
                pendingDeltaCharacters += parser.getTextLength();
                break;
            case EVENT_TYPE:
                textDeltaEvent = TEXT_DELTA_EVENTS.contains(parser.getText());
                break;
            default:
                break;
        }
    }

    private void onInteger(int position, JsonParser parser) throws IOException {
        if (position < USAGE_FIELD) {
            return;
        }
        JsonParser.NumberType type = parser.getNumberType();
        // A count beyond a long, or negative, is not a count: leave the field absent.
        if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
            long value = parser.getLongValue();
            if (value >= 0) {
                counts[position - USAGE_FIELD] = value;
            }
        }
    }

    private static int asObject(int position) {
        switch (position) {
            case ROOT:
            case USAGE:
            case PROVISIONAL_USAGE:
            case CHOICE:
            case MESSAGE:
            case TOOL_CALL:
            case FUNCTION:
            case RESPONSE:
            case START_MESSAGE:
            case OUTPUT_ITEM:
            case BLOCK:
                return position;
            case EVENT_DELTA:
                return BLOCK;
            default:
                return IGNORED;
        }
    }

    private static int asArray(int position) {
        switch (position) {
            case CHOICES:
            case TOOL_CALLS:
            case OUTPUT:
            case BLOCKS:
                return position;
            case TEXT_OR_BLOCKS:
                return BLOCKS;
            default:
                return IGNORED;
        }
    }

    private static int child(int object, String name) {
        switch (object) {
            case ROOT:
                return rootChild(name);
            case USAGE:
            case PROVISIONAL_USAGE:
                return usageField(name);
            case CHOICE:
                switch (name) {
                    case "text":
                        return TEXT;
                    case "message":
                    case "delta":
                        return MESSAGE;
                    default:
                        return IGNORED;
                }
            case MESSAGE:
                switch (name) {
                    case "content":
                        return TEXT_OR_BLOCKS;
                    case "reasoning_content":
                    case "reasoning":
                    case "refusal":
                        return TEXT;
                    case "tool_calls":
                        return TOOL_CALLS;
                    case "function_call":
                        return FUNCTION;
                    default:
                        return IGNORED;
                }
            case TOOL_CALL:
                return "function".equals(name) ? FUNCTION : IGNORED;
            case FUNCTION:
                return "arguments".equals(name) ? TEXT : IGNORED;
            case RESPONSE:
                return "usage".equals(name) ? USAGE : IGNORED;
            case START_MESSAGE:
                return "usage".equals(name) ? PROVISIONAL_USAGE : IGNORED;
            case OUTPUT_ITEM:
                switch (name) {
                    case "content":
                    case "summary":
                        return TEXT_OR_BLOCKS;
                    case "arguments":
                        return TEXT;
                    default:
                        return IGNORED;
                }
            case BLOCK:
                switch (name) {
                    case "text":
                    case "thinking":
                    case "partial_json":
                    case "refusal":
                        return TEXT;
                    default:
                        return IGNORED;
                }
            default:
                return IGNORED;
        }
    }

    private static int rootChild(String name) {
        switch (name) {
            case "usage":
                return USAGE;
            case "choices":
                return CHOICES;
            case "response":
                return RESPONSE;
            case "message":
                return START_MESSAGE;
            case "type":
                return EVENT_TYPE;
            case "delta":
                return EVENT_DELTA;
            case "output":
                return OUTPUT;
            case "content":
                return TEXT_OR_BLOCKS;
            case "content_block":
                return BLOCK;
            default:
                return IGNORED;
        }
    }

    private static int usageField(String name) {
        int field = UsageFields.index(name);
        return field < 0 ? IGNORED : USAGE_FIELD + field;
    }
}
