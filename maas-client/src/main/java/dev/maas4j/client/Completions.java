package dev.maas4j.client;

import java.util.concurrent.CompletableFuture;

/**
 * Legacy text completions ({@code POST /completions}), from {@link MaasClient#completions()}.
 * Thread-safe.
 */
public interface Completions {

    /** Creates a completion and waits for it. */
    default Completion create(CompletionRequest request) {
        return createWithResponse(request).body();
    }

    /** Creates a completion and returns it with the HTTP response. */
    ApiResponse<Completion> createWithResponse(CompletionRequest request);

    /** Creates a completion without blocking. */
    default CompletableFuture<Completion> createAsync(CompletionRequest request) {
        return createWithResponseAsync(request).thenApply(ApiResponse::body);
    }

    /** Creates a completion without blocking, with the HTTP response. */
    CompletableFuture<ApiResponse<Completion>> createWithResponseAsync(CompletionRequest request);

    /** Starts a streamed completion; returns once the headers arrived. Close the stream. */
    CompletionStream stream(CompletionRequest request);

    /** {@link #stream(CompletionRequest)} without blocking until the headers arrive. */
    CompletableFuture<CompletionStream> streamAsync(CompletionRequest request);
}
