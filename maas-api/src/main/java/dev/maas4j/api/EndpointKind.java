package dev.maas4j.api;

/** The kinds of model endpoint a request can reach; every kind that consumes tokens is limited. */
public enum EndpointKind {
    /** {@code /v1/chat/completions}. */
    CHAT_COMPLETIONS,
    /** {@code /v1/completions}. */
    COMPLETIONS,
    /** {@code /v1/embeddings}: prompt tokens only. */
    EMBEDDINGS,
    /** {@code /v1/responses} (OpenAI Responses API). */
    RESPONSES,
    /** {@code /v1/messages} (Anthropic Messages API). */
    MESSAGES,
    /** Anything else under the model's route. */
    OTHER;

    /** The kind of endpoint a request path ends in, e.g. {@code /ns/model/v1/chat/completions}. */
    public static EndpointKind fromPath(String path) {
        if (path.endsWith("/chat/completions")) {
            return CHAT_COMPLETIONS;
        }
        if (path.endsWith("/completions")) {
            return COMPLETIONS;
        }
        if (path.endsWith("/embeddings")) {
            return EMBEDDINGS;
        }
        if (path.endsWith("/responses")) {
            return RESPONSES;
        }
        if (path.endsWith("/messages")) {
            return MESSAGES;
        }
        return OTHER;
    }

    /** Whether the endpoint generates completion tokens (embeddings do not). */
    public boolean generates() {
        return this != EMBEDDINGS;
    }
}
