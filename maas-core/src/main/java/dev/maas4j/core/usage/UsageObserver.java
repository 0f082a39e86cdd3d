package dev.maas4j.core.usage;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.usage.internal.ResponseDecoder;
import dev.maas4j.core.usage.internal.UsagePathReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Watches the bytes of one model response as they pass to the client and extracts what token
 * accounting needs: the usage the model reported, and how much text it generated (for an
 * estimate when it reported nothing). The response is parsed incrementally with a non-blocking
 * parser and never held: bytes may be fed in any split, even inside a UTF-8 sequence, a JSON
 * token or a CRLF.
 *
 * <pre>{@code
 * UsageObserver observer = UsageObserver.forContentType(response.contentType(), EndpointKind.CHAT_COMPLETIONS);
 * for (ByteBuffer chunk : upstreamChunks) {
 *     observer.accept(chunk.duplicate()); // as the chunk is written to the client
 * }
 * observer.finish();
 * TokenUsage usage = observer.usageOrEstimate(request.promptTokensEstimate());
 * }</pre>
 *
 * <p><b>Recognised shapes.</b> A usage object counts only where the API puts it; one nested in
 * message content, tool arguments or an echoed request does not:
 * <ul>
 *   <li>OpenAI Chat Completions, Completions and Embeddings: top-level {@code usage} with
 *       {@code prompt_tokens} and {@code completion_tokens} (embeddings: no completion tokens);
 *       streamed, the chunk that carries a non-null {@code usage} (sent when the request sets
 *       {@code stream_options.include_usage}).</li>
 *   <li>OpenAI Responses: top-level {@code usage} with {@code input_tokens} and
 *       {@code output_tokens}; streamed, {@code response.usage} of the {@code response.completed},
 *       {@code response.incomplete} or {@code response.failed} event.</li>
 *   <li>Anthropic Messages: top-level {@code usage}; streamed, {@code message.usage} of
 *       {@code message_start} for the input and the cumulative {@code usage} of the last
 *       {@code message_delta} for the output. Anthropic's cache read and cache creation input
 *       tokens are added to the prompt tokens, which gives them the meaning of OpenAI's
 *       {@code prompt_tokens} (cached tokens included).</li>
 * </ul>
 * When several usage objects come, each overrides the counts it carries. Generated text is the
 * message or delta {@code content}, {@code text}, {@code reasoning_content}/{@code reasoning},
 * {@code refusal} and tool-call {@code arguments} (and the Responses and Anthropic equivalents):
 * all of it is billed as output.
 *
 * <p><b>Malformed input</b> never makes {@link #accept} throw: the observer marks itself
 * {@linkplain #unparseable() unparseable}, stops parsing and falls back to the estimate. A
 * response cut short (a truncated body or stream) is not malformed: what was complete before
 * the cut stands. Memory is bounded: only the current token is buffered (a string is capped by
 * Jackson's {@code StreamReadConstraints}, 20 million characters by default), and a server-sent
 * event whose data exceeds 1 MiB is skipped from that point, at the cost of its usage if it had
 * one.
 *
 * <p><b>Not thread-safe:</b> one observer per response, fed by one thread at a time (handing
 * it from thread to thread with a happens-before edge, as asynchronous I/O does, is fine).
 */
public final class UsageObserver {

    /** The largest server-sent event parsed whole; beyond it, the rest of the event is skipped. */
    static final int MAX_EVENT_BYTES = 1 << 20;

    /** Size of the copies made from buffers without an accessible array. */
    private static final int COPY_CHUNK = 8192;

    private final EndpointKind kind;
    private final UsagePathReader reader = new UsagePathReader();
    private final ResponseDecoder decoder;
    private boolean unparseable;
    private boolean finished;
    private byte[] copyBuffer;

    private UsageObserver(EndpointKind kind, boolean sse) {
        this.kind = Objects.requireNonNull(kind, "kind");
        ResponseDecoder created;
        try {
            created = sse ? ResponseDecoder.sse(reader, MAX_EVENT_BYTES) : ResponseDecoder.json(reader);
        } catch (IOException e) {
            // Creating a non-blocking parser reads nothing; Jackson only declares the exception.
            throw new IllegalStateException("cannot create a JSON parser", e);
        }
        this.decoder = created;
    }

    /**
     * An observer of a JSON response body ({@code application/json}).
     *
     * <pre>{@code
     * UsageObserver observer = UsageObserver.forJson(EndpointKind.EMBEDDINGS);
     * }</pre>
     *
     * @param kind the endpoint the request went to; {@link EndpointKind#EMBEDDINGS} never has
     *             completion tokens
     * @return a new observer
     */
    public static UsageObserver forJson(EndpointKind kind) {
        return new UsageObserver(kind, false);
    }

    /**
     * An observer of a streamed response ({@code text/event-stream}): {@code data:} lines holding
     * one JSON document per event, {@code data: [DONE]} terminator, comments, {@code event:}
     * lines, CRLF, LF or CR line ends.
     *
     * <pre>{@code
     * UsageObserver observer = UsageObserver.forSse(EndpointKind.MESSAGES);
     * }</pre>
     *
     * @param kind the endpoint the request went to
     * @return a new observer
     */
    public static UsageObserver forSse(EndpointKind kind) {
        return new UsageObserver(kind, true);
    }

    /**
     * An observer for a response of the given {@code Content-Type}: {@link #forSse} for
     * {@code text/event-stream} (parameters and case ignored), else {@link #forJson}.
     *
     * <pre>{@code
     * UsageObserver observer = UsageObserver.forContentType("text/event-stream; charset=utf-8", kind);
     * }</pre>
     *
     * @param contentType the response's {@code Content-Type} header; empty when it has none
     * @param kind        the endpoint the request went to
     * @return a new observer
     */
    public static UsageObserver forContentType(String contentType, EndpointKind kind) {
        Objects.requireNonNull(contentType, "contentType");
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip();
        return new UsageObserver(kind, mediaType.toLowerCase(Locale.ROOT).equals("text/event-stream"));
    }

    /**
     * Feeds the next {@code length} bytes of the response. The bytes are parsed before this
     * returns and not retained, so the caller may reuse the array. Never throws on malformed
     * input (see {@link #unparseable()}); after that, input is ignored.
     *
     * @param bytes  holds the bytes
     * @param offset index of the first byte
     * @param length number of bytes, may be 0
     * @throws IndexOutOfBoundsException if the range is outside {@code bytes}
     * @throws IllegalStateException     if called after {@link #finish()}
     */
    public void accept(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        checkNotFinished();
        if (unparseable || length == 0) {
            return;
        }
        try {
            decoder.accept(bytes, offset, length);
        } catch (IOException | RuntimeException e) {
            // Runtime exceptions too: whatever goes wrong in accounting must not break the
            // response on its way to the client; the request is settled on the estimate instead.
            giveUp();
        }
    }

    /**
     * Feeds the remaining bytes of {@code buffer}, whose position is advanced to its limit. Pass
     * a {@link ByteBuffer#duplicate() duplicate} to leave the original's position alone. Never
     * throws on malformed input.
     *
     * @param buffer heap or direct buffer
     * @throws IllegalStateException if called after {@link #finish()}
     */
    public void accept(ByteBuffer buffer) {
        checkNotFinished();
        if (unparseable) {
            buffer.position(buffer.limit());
            return;
        }
        if (buffer.hasArray()) {
            accept(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            buffer.position(buffer.limit());
            return;
        }
        // Direct and read-only buffers: the parser reads arrays, so copy through a small buffer.
        if (copyBuffer == null && buffer.hasRemaining()) {
            copyBuffer = new byte[Math.min(COPY_CHUNK, buffer.remaining())];
        }
        while (buffer.hasRemaining()) {
            int length = Math.min(copyBuffer.length, buffer.remaining());
            buffer.get(copyBuffer, 0, length);
            accept(copyBuffer, 0, length);
        }
    }

    /**
     * Ends the response. A body or stream cut short is not an error. Idempotent; call it
     * whatever happened to the connection, before reading the usage.
     */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (!unparseable) {
            try {
                decoder.finish();
            } catch (IOException | RuntimeException e) {
                giveUp();
            }
        }
        decoder.close();
    }

    /**
     * The usage the response reported, or empty when it reported none (a stream without
     * {@code include_usage}, an error body, a stream cut before its final usage) or was
     * {@linkplain #unparseable() unparseable}. A usage that lacks a side (embeddings have no
     * completion tokens) has 0 for it, unless the total gives it.
     *
     * @return the reported usage, never {@linkplain TokenUsage#estimated() estimated}
     */
    public Optional<TokenUsage> reportedUsage() {
        return unparseable ? Optional.empty() : reader.reported(kind);
    }

    /**
     * Characters (UTF-16 code units) of generated text seen so far, for an estimate.
     *
     * @return the count, 0 for embeddings
     */
    public long generatedCharacters() {
        return reader.generatedCharacters();
    }

    /**
     * The reported usage, or else an estimate flagged {@link TokenUsage#estimated()}: the given
     * prompt estimate, and {@link TokenEstimates#fromCharacters} of the generated characters as
     * completion tokens (0 for embeddings). When an Anthropic stream was cut after
     * {@code message_start}, the input tokens it reported replace the prompt estimate.
     *
     * <pre>{@code
     * TokenUsage usage = observer.usageOrEstimate(requestInfo.promptTokensEstimate());
     * }</pre>
     *
     * @param promptTokensEstimate prompt tokens to use if none were reported, e.g.
     *                             {@link RequestInfo#promptTokensEstimate()}
     * @return the usage to settle the request with
     * @throws IllegalArgumentException if {@code promptTokensEstimate} is negative
     */
    public TokenUsage usageOrEstimate(long promptTokensEstimate) {
        if (promptTokensEstimate < 0) {
            throw new IllegalArgumentException(
                    "promptTokensEstimate must not be negative, was " + promptTokensEstimate);
        }
        Optional<TokenUsage> reported = reportedUsage();
        if (reported.isPresent()) {
            return reported.get();
        }
        return reader.estimate(kind, promptTokensEstimate, !unparseable);
    }

    /**
     * Whether the response could not be parsed (not JSON, not server-sent events of JSON, or
     * over the parser's limits), in which case parsing stopped and usage is estimated. Worth a
     * metric: it means a server speaks a shape maas4j does not know.
     *
     * @return {@code true} once parsing has failed
     */
    public boolean unparseable() {
        return unparseable;
    }

    private void giveUp() {
        unparseable = true;
        decoder.close();
    }

    private void checkNotFinished() {
        if (finished) {
            throw new IllegalStateException("the response is finished: accept() after finish()");
        }
    }
}
