package dev.maas4j.client;

import java.util.concurrent.CompletableFuture;

/** The models the caller may use ({@code GET /models}), from {@link MaasClient#models()}. Thread-safe. */
public interface Models {

    /** Lists the models. */
    default ModelList list() {
        return listWithResponse().body();
    }

    /** Lists the models, with the HTTP response. */
    ApiResponse<ModelList> listWithResponse();

    /** Lists the models without blocking. */
    CompletableFuture<ModelList> listAsync();

    /** One model ({@code GET /models/{id}}); throws {@link NotFoundException} if it is not available. */
    Model retrieve(String id);
}
