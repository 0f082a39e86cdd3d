package dev.maas4j.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas4j.client.internal.Call;
import dev.maas4j.client.internal.ErrorMapper;
import dev.maas4j.client.internal.HttpTransport;
import dev.maas4j.client.internal.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The {@link MaasClient}: encodes requests, decodes responses, opens streams. */
final class DefaultMaasClient implements MaasClient {

    private static final ObjectMapper JSON = Json.OPENAI;

    private final HttpTransport transport;
    private final ChatCompletions chat = new Chat();
    private final Completions completions = new TextCompletions();
    private final Embeddings embeddings = new EmbeddingsImpl();
    private final Models models = new ModelsImpl();

    DefaultMaasClient(HttpTransport transport) {
        this.transport = transport;
    }

    @Override
    public ChatCompletions chat() {
        return chat;
    }

    @Override
    public Completions completions() {
        return completions;
    }

    @Override
    public Embeddings embeddings() {
        return embeddings;
    }

    @Override
    public Models models() {
        return models;
    }

    @Override
    public String toString() {
        return "MaasClient[baseUrl=" + transport.settings().baseUri() + ", apiKey="
                + transport.credential().map(Object::toString).orElse("none") + "]";
    }

    /** The JSON of {@code request}, with {@code stream} set by the call rather than by the caller. */
    private static byte[] encode(Object request, boolean stream) {
        Objects.requireNonNull(request, "request");
        ObjectNode node = JSON.valueToTree(request);
        if (stream) {
            node.put("stream", true);
        } else {
            node.remove("stream");
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> HttpTransport.BodyDecoder<T> decoder(Class<T> type) {
        return body -> JSON.readValue(body, type);
    }

    private final ChunkReaderFactory readers = new ChunkReaderFactory() {
        @Override
        public <T> ChunkReader<T> reader(ApiResponse<InputStream> response, Class<T> type, Consumer<T> onChunk) {
            return new ChunkReader<>(response, JSON, type, transport.credential(), onChunk);
        }
    };

    /**
     * Checks that a stream really is one: a server that ignores {@code stream: true} answers with
     * JSON, which would otherwise read as an empty stream.
     */
    private ApiResponse<InputStream> checkEventStream(ApiResponse<InputStream> response) {
        String type = response.headers().firstValue("content-type").orElse("");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return response;
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            throw new ConnectionException("could not read the response: " + e, e);
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && ErrorMapper.isErrorEvent(node)) {
                throw ErrorMapper.fromResponse(response.statusCode(), response.headers(), body, transport.credential());
            }
        } catch (IOException ignored) {
            // Not JSON after all: reported below like any other non-stream answer.
        }
        throw new MaasClientException("expected an event stream but the server answered with JSON; "
                + "does it support streaming?");
    }

    private final class Chat implements ChatCompletions {
        @Override
        public ApiResponse<ChatCompletion> createWithResponse(ChatCompletionRequest request) {
            return transport.send(Call.post("chat/completions", encode(request, false)), decoder(ChatCompletion.class));
        }

        @Override
        public CompletableFuture<ApiResponse<ChatCompletion>> createWithResponseAsync(ChatCompletionRequest request) {
            return transport.sendAsync(Call.post("chat/completions", encode(request, false)),
                    decoder(ChatCompletion.class));
        }

        @Override
        public ChatCompletionStream stream(ChatCompletionRequest request) {
            ApiResponse<InputStream> r = transport.openStream(Call.post("chat/completions", encode(request, true)));
            return ChatCompletionStream.open(checkEventStream(r), readers);
        }

        @Override
        public CompletableFuture<ChatCompletionStream> streamAsync(ChatCompletionRequest request) {
            return transport.openStreamAsync(Call.post("chat/completions", encode(request, true)))
                    .thenApply(r -> ChatCompletionStream.open(checkEventStream(r), readers));
        }
    }

    private final class TextCompletions implements Completions {
        @Override
        public ApiResponse<Completion> createWithResponse(CompletionRequest request) {
            return transport.send(Call.post("completions", encode(request, false)), decoder(Completion.class));
        }

        @Override
        public CompletableFuture<ApiResponse<Completion>> createWithResponseAsync(CompletionRequest request) {
            return transport.sendAsync(Call.post("completions", encode(request, false)), decoder(Completion.class));
        }

        @Override
        public CompletionStream stream(CompletionRequest request) {
            ApiResponse<InputStream> r = transport.openStream(Call.post("completions", encode(request, true)));
            return CompletionStream.open(checkEventStream(r), readers);
        }

        @Override
        public CompletableFuture<CompletionStream> streamAsync(CompletionRequest request) {
            return transport.openStreamAsync(Call.post("completions", encode(request, true)))
                    .thenApply(r -> CompletionStream.open(checkEventStream(r), readers));
        }
    }

    private final class EmbeddingsImpl implements Embeddings {
        @Override
        public ApiResponse<EmbeddingResponse> createWithResponse(EmbeddingRequest request) {
            return transport.send(Call.post("embeddings", encode(request, false)), decoder(EmbeddingResponse.class));
        }

        @Override
        public CompletableFuture<ApiResponse<EmbeddingResponse>> createWithResponseAsync(EmbeddingRequest request) {
            return transport.sendAsync(Call.post("embeddings", encode(request, false)),
                    decoder(EmbeddingResponse.class));
        }
    }

    private final class ModelsImpl implements Models {
        @Override
        public ApiResponse<ModelList> listWithResponse() {
            return transport.send(Call.get("models"), decoder(ModelList.class));
        }

        @Override
        public CompletableFuture<ModelList> listAsync() {
            return transport.sendAsync(Call.get("models"), decoder(ModelList.class)).thenApply(ApiResponse::body);
        }

        @Override
        public Model retrieve(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("id must not be blank");
            }
            // Hugging Face style ids ("org/model") keep their slash, as servers route them that way.
            String path = java.util.Arrays.stream(id.split("/", -1)).map(Call::segment)
                    .collect(java.util.stream.Collectors.joining("/"));
            return transport.send(Call.get("models/" + path), decoder(Model.class)).body();
        }
    }
}
