package dev.maas4j.client.internal;

import dev.maas4j.client.ApiResponse;
import dev.maas4j.client.ConnectionException;
import dev.maas4j.client.MaasClientException;
import dev.maas4j.client.RequestTimeoutException;
import dev.maas4j.client.RetryPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Sends {@link Call}s: builds the request (credential, headers, timeout), retries by the
 * {@link RetryRules}, maps error statuses to typed exceptions and I/O failures to
 * {@link ConnectionException}s. Shared by the OpenAI and the management clients. Thread-safe.
 */
public final class HttpTransport {

    /** Reads a successful body. */
    @FunctionalInterface
    public interface BodyDecoder<T> {
        /** Decodes {@code body}. */
        T decode(byte[] body) throws IOException;
    }

    /**
     * What the transport needs.
     *
     * @param baseUri        base URL, ending with {@code /}
     * @param credential     sent as {@code Authorization: Bearer}, if any
     * @param headers        extra headers sent with every request
     * @param requestTimeout how long to wait for response headers
     * @param retryPolicy    how often and how long to retry
     * @param httpClient     the JDK client
     * @param asyncExecutor  where async retries and their delays run
     * @param sleeper        waits between retries
     * @param clock          reads HTTP-date {@code Retry-After} values
     * @param userAgent      the {@code User-Agent} value
     */
    public record Settings(URI baseUri, Optional<Secret> credential, Map<String, String> headers,
                           Duration requestTimeout, RetryPolicy retryPolicy, HttpClient httpClient,
                           Executor asyncExecutor, Sleeper sleeper, Clock clock, String userAgent) {
        /** Validates and copies. */
        public Settings {
            Objects.requireNonNull(baseUri, "baseUri");
            Objects.requireNonNull(credential, "credential");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(retryPolicy, "retryPolicy");
            Objects.requireNonNull(httpClient, "httpClient");
            Objects.requireNonNull(asyncExecutor, "asyncExecutor");
            Objects.requireNonNull(sleeper, "sleeper");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(userAgent, "userAgent");
        }
    }

    /** Keeps the body as bytes (or ignores it). */
    public static final BodyDecoder<byte[]> RAW = body -> body;

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final Settings settings;
    private final RetryRules rules;

    /** A transport with {@code settings}. */
    public HttpTransport(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rules = new RetryRules(settings.retryPolicy(), settings.clock());
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /** Sends {@code call} and decodes a successful body; blocks. */
    public <T> ApiResponse<T> send(Call call, BodyDecoder<T> decoder) {
        HttpRequest request = request(call, "application/json");
        HttpResponse<byte[]> response = exchange(call, request, HttpResponse.BodyHandlers.ofByteArray(),
                HttpResponse::body);
        return decode(request, response, decoder);
    }

    /** Sends {@code call} without blocking; the future fails with a {@link MaasClientException}. */
    public <T> CompletableFuture<ApiResponse<T>> sendAsync(Call call, BodyDecoder<T> decoder) {
        HttpRequest request = request(call, "application/json");
        return exchangeAsync(call, request, HttpResponse.BodyHandlers.ofByteArray(), HttpResponse::body, 1)
                .thenApply(response -> decode(request, response, decoder));
    }

    /** Sends {@code call} expecting an event stream; returns once the headers arrived, with the live body. */
    public ApiResponse<InputStream> openStream(Call call) {
        HttpRequest request = request(call, "text/event-stream");
        HttpResponse<InputStream> response = exchange(call, request, HttpResponse.BodyHandlers.ofInputStream(),
                HttpTransport::drain);
        return new ApiResponse<>(response.statusCode(), response.headers(), response.body());
    }

    /** {@link #openStream(Call)} without blocking until the headers arrive. */
    public CompletableFuture<ApiResponse<InputStream>> openStreamAsync(Call call) {
        HttpRequest request = request(call, "text/event-stream");
        return exchangeAsync(call, request, HttpResponse.BodyHandlers.ofInputStream(), HttpTransport::drain, 1)
                .thenApply(r -> new ApiResponse<>(r.statusCode(), r.headers(), r.body()));
    }

    /** The credential to mask in text coming back from the server. */
    public Optional<Secret> credential() {
        return settings.credential();
    }

    private <B> HttpResponse<B> exchange(Call call, HttpRequest request, HttpResponse.BodyHandler<B> handler,
                                         Function<HttpResponse<B>, byte[]> errorBody) {
        for (int attempt = 1; ; attempt++) {
            MaasClientException failure;
            Optional<Duration> delay;
            try {
                HttpResponse<B> response = settings.httpClient().send(request, handler);
                if (success(response.statusCode())) {
                    return response;
                }
                failure = ErrorMapper.fromResponse(response.statusCode(), response.headers(),
                        errorBody.apply(response), settings.credential());
                delay = rules.afterStatus(call.idempotent(), attempt, response.statusCode(), response.headers());
            } catch (IOException e) {
                failure = ioFailure(request, e);
                delay = rules.afterFailure(call.idempotent(), attempt, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectionException("interrupted while waiting for " + describe(request), e);
            }
            if (delay.isEmpty()) {
                throw failure;
            }
            try {
                settings.sleeper().sleep(delay.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.addSuppressed(e);
                throw failure;
            }
        }
    }

    private <B> CompletableFuture<HttpResponse<B>> exchangeAsync(Call call, HttpRequest request,
                                                                 HttpResponse.BodyHandler<B> handler,
                                                                 Function<HttpResponse<B>, byte[]> errorBody,
                                                                 int attempt) {
        CompletableFuture<HttpResponse<B>> sent;
        try {
            sent = settings.httpClient().sendAsync(request, handler);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new MaasClientException("could not send " + describe(request), e));
        }
        return sent.handle((response, thrown) -> {
            MaasClientException failure;
            Optional<Duration> delay;
            if (thrown == null) {
                if (success(response.statusCode())) {
                    return CompletableFuture.completedFuture(response);
                }
                failure = ErrorMapper.fromResponse(response.statusCode(), response.headers(),
                        errorBody.apply(response), settings.credential());
                delay = rules.afterStatus(call.idempotent(), attempt, response.statusCode(), response.headers());
            } else {
                Throwable cause = unwrap(thrown);
                if (cause instanceof IOException io) {
                    failure = ioFailure(request, io);
                    delay = rules.afterFailure(call.idempotent(), attempt, io);
                } else {
                    failure = cause instanceof MaasClientException m ? m
                            : new MaasClientException("failed to send " + describe(request), cause);
                    delay = Optional.empty();
                }
            }
            if (delay.isEmpty()) {
                return CompletableFuture.<HttpResponse<B>>failedFuture(failure);
            }
            return settings.sleeper().delay(delay.get(), settings.asyncExecutor())
                    .thenCompose(ignored -> exchangeAsync(call, request, handler, errorBody, attempt + 1));
        }).thenCompose(Function.identity());
    }

    private HttpRequest request(Call call, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.baseUri().resolve(call.target()))
                .timeout(settings.requestTimeout())
                .header("Accept", accept)
                .header("User-Agent", settings.userAgent());
        settings.headers().forEach(b::setHeader);
        settings.credential().ifPresent(c -> b.setHeader("Authorization", "Bearer " + c.reveal()));
        if (call.body().isPresent()) {
            b.setHeader("Content-Type", "application/json");
            b.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body().get()));
        } else {
            b.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private <T> ApiResponse<T> decode(HttpRequest request, HttpResponse<byte[]> response, BodyDecoder<T> decoder) {
        try {
            T body = decoder.decode(response.body());
            if (body == null) {
                throw new IOException("the body is empty or null");
            }
            return new ApiResponse<>(response.statusCode(), response.headers(), body);
        } catch (IOException e) {
            throw new MaasClientException("could not decode the response to " + describe(request) + ": "
                    + settings.credential().map(s -> s.redact(String.valueOf(e.getMessage())))
                    .orElse(String.valueOf(e.getMessage())), e);
        }
    }

    private ConnectionException ioFailure(HttpRequest request, IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return new ConnectionException("could not connect to " + origin(request) + " in time for "
                    + describe(request), e);
        }
        if (e instanceof HttpTimeoutException) {
            return new RequestTimeoutException("no response to " + describe(request) + " within "
                    + request.timeout().map(Duration::toString).orElse("the timeout"), e);
        }
        if (RetryRules.neverSent(e)) {
            return new ConnectionException("could not connect to " + origin(request) + " for "
                    + describe(request), e);
        }
        return new ConnectionException(describe(request) + " failed: " + e, e);
    }

    private static boolean success(int status) {
        return status >= 200 && status < 300;
    }

    private static byte[] drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException
                || c instanceof UncheckedIOException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String origin(HttpRequest request) {
        URI u = request.uri();
        return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
    }

    static String describe(HttpRequest request) {
        URI u = request.uri();
        // The query is left out: callers may put anything there, and this text ends up in logs.
        return request.method() + " " + u.getScheme() + "://" + u.getRawAuthority() + u.getRawPath();
    }
}
