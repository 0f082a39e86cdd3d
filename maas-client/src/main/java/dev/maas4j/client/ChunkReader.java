package dev.maas4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.client.internal.ErrorMapper;
import dev.maas4j.client.internal.Secret;
import dev.maas4j.client.internal.SseReader;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the chunks of an OpenAI event stream: one JSON object per {@code data:} event until
 * {@code data: [DONE]}; an {@code error} event, or a data object with an {@code error} property,
 * becomes a typed exception. Reads on demand, so each chunk is handed over as it arrives.
 */
final class ChunkReader<T> implements Iterator<T> {

    private final SseReader events;
    private final ObjectMapper mapper;
    private final Class<T> type;
    private final int status;
    private final HttpHeaders headers;
    private final Optional<Secret> secret;
    private final Consumer<T> onChunk;
    private T next;
    private boolean done;
    private volatile boolean closed;

    ChunkReader(ApiResponse<InputStream> response, ObjectMapper mapper, Class<T> type, Optional<Secret> secret,
                Consumer<T> onChunk) {
        this.events = new SseReader(response.body());
        this.mapper = mapper;
        this.type = type;
        this.status = response.statusCode();
        this.headers = response.headers();
        this.secret = secret;
        this.onChunk = onChunk;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (done || closed) {
            return false;
        }
        while (true) {
            Optional<SseReader.Event> event;
            try {
                event = events.next();
            } catch (IOException e) {
                boolean closedByCaller = closed;
                close();
                if (closedByCaller) {
                    return false;
                }
                throw new ConnectionException("the event stream broke off: " + e, e);
            }
            if (event.isEmpty()) {
                close();
                return false;
            }
            String data = event.get().data();
            if (data.isBlank()) {
                continue;
            }
            if (data.strip().equals("[DONE]")) {
                close();
                return false;
            }
            JsonNode node;
            try {
                node = mapper.readTree(data);
            } catch (IOException e) {
                close();
                throw new MaasClientException("could not decode a stream event: " + redact(e.getMessage()), e);
            }
            if (event.get().event().equals("error") || ErrorMapper.isErrorEvent(node)) {
                close();
                throw ErrorMapper.fromStreamEvent(status, headers, data, secret);
            }
            T chunk;
            try {
                chunk = mapper.treeToValue(node, type);
            } catch (IOException | IllegalArgumentException e) {
                close();
                throw new MaasClientException("could not decode a stream chunk: " + redact(e.getMessage()), e);
            }
            onChunk.accept(chunk);
            next = chunk;
            return true;
        }
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has ended");
        }
        T chunk = next;
        next = null;
        return chunk;
    }

    /** Stops reading and closes the connection; a read blocked in another thread returns. */
    void close() {
        if (closed) {
            return;
        }
        // Set first, so that the IOException a blocked read gets from the closed stream is taken
        // for the end it is rather than for a broken connection.
        done = true;
        closed = true;
        try {
            events.close();
        } catch (IOException ignored) {
            // Nothing to do: the connection is being discarded.
        }
    }

    private String redact(String message) {
        String m = String.valueOf(message);
        return secret.map(s -> s.redact(m)).orElse(m);
    }
}
