package dev.maas4j.core.usage.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.maas4j.core.usage.MalformedRequestException;
import dev.maas4j.core.usage.MediaEstimates;
import dev.maas4j.core.usage.RequestInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a {@link RequestInfo} from a request body in one streaming pass: the governed top-level
 * fields ({@code model}, {@code stream}, the max-tokens fields, {@code n}) and their rules, with
 * the prompt-bearing fields handed to a {@link PromptCounter}. The grammar every reader of a
 * request body shares (one object, no duplicate governed key, a parse error that does not quote
 * the body) is here too, for {@link ModelRewriter} and {@link IncludeUsageRewriter}. Stateless.
 */
public final class RequestScanner {

    // Governed top-level fields, as bits of a set of fields seen.
    private static final int MODEL = 1;
    private static final int STREAM = 1 << 1;
    private static final int STREAM_OPTIONS = 1 << 2;
    private static final int MAX_COMPLETION_TOKENS = 1 << 3;
    private static final int MAX_TOKENS = 1 << 4;
    private static final int MAX_OUTPUT_TOKENS = 1 << 5;
    private static final int N = 1 << 6;
    private static final int BEST_OF = 1 << 7;

    private RequestScanner() {
    }

    /** See {@link RequestInfo#parse(byte[], MediaEstimates)}. */
    public static RequestInfo scan(byte[] body, MediaEstimates media) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(media, "media");
        try (JsonParser parser = Json.FACTORY.createParser(body)) {
            return scan(parser, new PromptCounter(media));
        } catch (JsonProcessingException e) {
            throw invalid(e);
        } catch (IOException e) {
            // Reading a byte array does no I/O.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The exception for a body the parser rejected. Jackson's message is not passed on, since
     * it may quote the body (e.g. "Unrecognized token 'xyz'"); the location is.
     */
    static MalformedRequestException invalid(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return new MalformedRequestException(
                    "request body exceeds the JSON parser's limits (nesting depth, number or string length)");
        }
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 0
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return new MalformedRequestException("request body is not valid JSON" + where);
    }

    /** Moves to the body's object, which must be the first token. */
    static void startObject(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new MalformedRequestException("request body is empty");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new MalformedRequestException("request body must be a JSON object");
        }
    }

    /** Checks that nothing follows the body's object, which has just ended. */
    static void endObject(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new MalformedRequestException("request body must hold a single JSON object");
        }
    }

    /** Marks a governed top-level field as seen, rejecting a second occurrence. */
    static int seen(int seenFields, int field, String name) {
        if ((seenFields & field) != 0) {
            throw new MalformedRequestException("duplicate key '" + name + "'");
        }
        return seenFields | field;
    }

    /** Reads a boolean or null (absent: {@code false}). */
    static boolean readBoolean(JsonToken value, String name) {
        if (value == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (value == JsonToken.VALUE_FALSE || value == JsonToken.VALUE_NULL) {
            return false;
        }
        throw new MalformedRequestException("'" + name + "' must be a boolean");
    }

    private static RequestInfo scan(JsonParser parser, PromptCounter prompt) throws IOException {
        startObject(parser);
        int seenFields = 0;
        String model = null;
        boolean stream = false;
        boolean includeUsage = false;
        long maxCompletionTokens = -1;
        long maxTokens = -1;
        long maxOutputTokens = -1;
        int n = 1;
        int bestOf = 1;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "model":
                    seenFields = seen(seenFields, MODEL, name);
                    if (value == JsonToken.VALUE_STRING) {
                        model = parser.getText();
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw new MalformedRequestException("'model' must be a string");
                    }
                    break;
                case "stream":
                    seenFields = seen(seenFields, STREAM, name);
                    stream = readBoolean(value, name);
                    break;
                case "stream_options":
                    seenFields = seen(seenFields, STREAM_OPTIONS, name);
                    includeUsage = readIncludeUsage(parser, value);
                    break;
                case "max_completion_tokens":
                    seenFields = seen(seenFields, MAX_COMPLETION_TOKENS, name);
                    maxCompletionTokens = readCount(parser, value, name);
                    break;
                case "max_tokens":
                    seenFields = seen(seenFields, MAX_TOKENS, name);
                    maxTokens = readCount(parser, value, name);
                    break;
                case "max_output_tokens":
                    seenFields = seen(seenFields, MAX_OUTPUT_TOKENS, name);
                    maxOutputTokens = readCount(parser, value, name);
                    break;
                case "n":
                    seenFields = seen(seenFields, N, name);
                    n = readChoices(parser, value, name);
                    break;
                case "best_of":
                    seenFields = seen(seenFields, BEST_OF, name);
                    bestOf = readChoices(parser, value, name);
                    break;
                case "messages":
                    if (value == JsonToken.START_ARRAY) {
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            prompt.countMessage(parser);
                        }
                    } else {
                        prompt.countText(parser, true);
                    }
                    break;
                case "prompt":
                case "input":
                case "system":
                case "instructions":
                    prompt.countText(parser, true);
                    break;
                case "tools":
                    // a tool's definition is text; a "type" in it is no media part
                    prompt.countText(parser, false);
                    break;
                default:
                    parser.skipChildren();
                    break;
            }
        }
        endObject(parser);
        long max = maxCompletionTokens >= 0 ? maxCompletionTokens : maxTokens >= 0 ? maxTokens : maxOutputTokens;
        return new RequestInfo(
                Optional.ofNullable(model),
                stream,
                max >= 0 ? OptionalLong.of(max) : OptionalLong.empty(),
                includeUsage,
                prompt.characters(),
                prompt.tokensEstimate(),
                Math.max(n, bestOf),
                prompt.mediaParts());
    }

    private static boolean readIncludeUsage(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return false;
        }
        if (value != JsonToken.START_OBJECT) {
            throw new MalformedRequestException("'stream_options' must be an object");
        }
        boolean includeUsage = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken option = parser.nextToken();
            if ("include_usage".equals(name)) {
                includeUsage = readBoolean(option, "stream_options.include_usage");
            } else {
                parser.skipChildren();
            }
        }
        return includeUsage;
    }

    /** A max-tokens field: an integer from 0 to the ceiling, or null (absent: -1). */
    private static long readCount(JsonParser parser, JsonToken value, String name) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return -1;
        }
        if (value == JsonToken.VALUE_NUMBER_INT) {
            long count = integer(parser);
            if (count > RequestInfo.MAX_OUTPUT_TOKENS) {
                throw new MalformedRequestException("'" + name + "' must be at most " + RequestInfo.MAX_OUTPUT_TOKENS);
            }
            if (count >= 0) {
                return count;
            }
        }
        throw new MalformedRequestException("'" + name + "' must be a non-negative integer");
    }

    /** {@code n} or {@code best_of}: an integer from 1 to the ceiling, or null (absent: 1). */
    private static int readChoices(JsonParser parser, JsonToken value, String name) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return 1;
        }
        if (value == JsonToken.VALUE_NUMBER_INT) {
            long count = integer(parser);
            if (count > RequestInfo.MAX_CHOICES) {
                throw new MalformedRequestException("'" + name + "' must be at most " + RequestInfo.MAX_CHOICES);
            }
            if (count >= 1) {
                return (int) count;
            }
        }
        throw new MalformedRequestException("'" + name + "' must be a positive integer");
    }

    /** The integer at the parser; beyond a long, {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE}. */
    private static long integer(JsonParser parser) throws IOException {
        JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
            return parser.getLongValue();
        }
        return parser.getBigIntegerValue().signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
}
