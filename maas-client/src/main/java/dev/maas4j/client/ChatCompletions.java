package dev.maas4j.client;

import java.util.concurrent.CompletableFuture;

/**
 * Chat completions ({@code POST /chat/completions}), from {@link MaasClient#chat()}. Thread-safe.
 * Every call throws (or fails its future with) a {@link MaasClientException}.
 */
public interface ChatCompletions {

    /** Creates a completion and waits for it. */
    default ChatCompletion create(ChatCompletionRequest request) {
        return createWithResponse(request).body();
    }

    /** Creates a completion and returns it with the HTTP response (rate limits, request id). */
    ApiResponse<ChatCompletion> createWithResponse(ChatCompletionRequest request);

    /** Creates a completion without blocking. */
    default CompletableFuture<ChatCompletion> createAsync(ChatCompletionRequest request) {
        return createWithResponseAsync(request).thenApply(ApiResponse::body);
    }

    /** Creates a completion without blocking, with the HTTP response. */
    CompletableFuture<ApiResponse<ChatCompletion>> createWithResponseAsync(ChatCompletionRequest request);

    /**
     * Starts a streamed completion. Returns once the response headers arrived (an error status
     * throws here); the chunks are then read as they arrive. Close the stream.
     */
    ChatCompletionStream stream(ChatCompletionRequest request);

    /** {@link #stream(ChatCompletionRequest)} without blocking until the headers arrive. */
    CompletableFuture<ChatCompletionStream> streamAsync(ChatCompletionRequest request);
}
