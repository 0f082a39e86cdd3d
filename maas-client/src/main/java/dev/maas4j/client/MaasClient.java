package dev.maas4j.client;

import dev.maas4j.client.internal.Sleeper;
import dev.maas4j.client.internal.TransportBuilder;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A client of an OpenAI-compatible endpoint: a maas4j gateway, Open Data Hub's MaaS, vLLM, or
 * any other server speaking the OpenAI API. Thread-safe: build one per endpoint and share it.
 *
 * <pre>{@code
 * MaasClient client = MaasClient.builder()
 *         .baseUrl("https://maas.example.com/llm/granite-3-8b-instruct/v1")
 *         .apiKey(System.getenv("MAAS_API_KEY"))
 *         .build();
 * ChatCompletion answer = client.chat().create(ChatCompletionRequest.of("granite-3-8b-instruct", "Hello!"));
 * System.out.println(answer.text().orElse(""));
 * }</pre>
 *
 * <p>Errors are unchecked and typed ({@link RateLimitException}, {@link AuthenticationException},
 * ...); transient ones are retried first according to the {@link RetryPolicy}. The API key
 * appears in no message and no {@code toString()}.
 */
public interface MaasClient {

    /** Chat completions. */
    ChatCompletions chat();

    /** Legacy text completions. */
    Completions completions();

    /** Embeddings. */
    Embeddings embeddings();

    /** The models list. */
    Models models();

    /** A new builder. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link MaasClient}. Settings are checked as they are set, and {@link #build()}
     * fails with the setting's name if one is missing or two conflict. Not thread-safe.
     */
    final class Builder {
        private final TransportBuilder transport = new TransportBuilder("apiKey");

        private Builder() {
        }

        /**
         * The base URL of the OpenAI API, up to and including {@code /v1}: calls go to
         * {@code <baseUrl>/chat/completions} and so on. For a MaaS gateway, that is
         * {@code https://<gateway>/<namespace>/<model>/v1} or {@code https://<gateway>/v1}. Required.
         */
        public Builder baseUrl(String url) {
            transport.baseUrl(url);
            return this;
        }

        /** As {@link #baseUrl(String)}. */
        public Builder baseUrl(URI url) {
            transport.baseUrl(url);
            return this;
        }

        /** The API key, sent as {@code Authorization: Bearer}. Optional for servers without authentication. */
        public Builder apiKey(String apiKey) {
            transport.credential(apiKey);
            return this;
        }

        /** Time to establish a connection; 10 s by default. Cannot be combined with {@link #httpClient}. */
        public Builder connectTimeout(Duration timeout) {
            transport.connectTimeout(timeout);
            return this;
        }

        /**
         * Time to wait for the response headers of each attempt; 10 minutes by default, since a
         * long non-streamed generation sends nothing until it is done. For a stream it covers
         * the wait for the headers only: chunks may then take as long as the generation does.
         */
        public Builder timeout(Duration timeout) {
            transport.requestTimeout(timeout);
            return this;
        }

        /** How often and how long to retry; {@link RetryPolicy#defaults()} by default. */
        public Builder retryPolicy(RetryPolicy policy) {
            transport.retryPolicy(policy);
            return this;
        }

        /** Shorthand for a default policy with {@code maxRetries + 1} attempts; 0 disables retries. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
            }
            transport.retryPolicy(RetryPolicy.builder().maxAttempts(maxRetries + 1).build());
            return this;
        }

        /** A header sent with every request (e.g. {@code X-MaaS-Subscription}). */
        public Builder header(String name, String value) {
            transport.header(name, value);
            return this;
        }

        /**
         * The JDK client to use (its proxy, TLS and HTTP version settings apply). By default one
         * is built that follows no redirect, so the key is never sent to another URL.
         */
        public Builder httpClient(HttpClient client) {
            transport.httpClient(client);
            return this;
        }

        /** The executor of async calls and of the default {@link HttpClient}; the common pool otherwise. */
        public Builder executor(Executor executor) {
            transport.executor(executor);
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            transport.sleeper(sleeper);
            return this;
        }

        /** Builds the client; fails if {@code baseUrl} is missing or settings conflict. */
        public MaasClient build() {
            return new DefaultMaasClient(transport.build(false, ""));
        }

        @Override
        public String toString() {
            return "MaasClient.Builder[baseUrl=" + transport.baseUrl().map(URI::toString).orElse("unset") + "]";
        }
    }
}
