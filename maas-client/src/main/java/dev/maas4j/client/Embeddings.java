package dev.maas4j.client;

import java.util.concurrent.CompletableFuture;

/** Embeddings ({@code POST /embeddings}), from {@link MaasClient#embeddings()}. Thread-safe. */
public interface Embeddings {

    /** Embeds the request's inputs and waits for the vectors. */
    default EmbeddingResponse create(EmbeddingRequest request) {
        return createWithResponse(request).body();
    }

    /** Embeds the request's inputs and returns the vectors with the HTTP response. */
    ApiResponse<EmbeddingResponse> createWithResponse(EmbeddingRequest request);

    /** Embeds without blocking. */
    default CompletableFuture<EmbeddingResponse> createAsync(EmbeddingRequest request) {
        return createWithResponseAsync(request).thenApply(ApiResponse::body);
    }

    /** Embeds without blocking, with the HTTP response. */
    CompletableFuture<ApiResponse<EmbeddingResponse>> createWithResponseAsync(EmbeddingRequest request);
}
