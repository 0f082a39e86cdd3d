package dev.maas4j.servlet;

import dev.maas4j.api.Grant;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Ticker;
import dev.maas4j.core.Lease;
import dev.maas4j.servlet.internal.BufferedRequest;
import dev.maas4j.servlet.internal.Endpoints;
import dev.maas4j.servlet.internal.ErrorResponses;
import dev.maas4j.servlet.internal.Exchange;
import dev.maas4j.servlet.internal.RelaySettings;
import dev.maas4j.servlet.internal.ResponseLimits;
import dev.maas4j.servlet.internal.Route;
import dev.maas4j.servlet.internal.UpstreamRelay;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Forwards governed requests to the upstream endpoint(s) of the model {@link MaasFilter} admitted
 * them for, and streams the answer back as it arrives.
 *
 * <pre>{@code
 * // behind MaasFilter (see its javadoc), async support on
 * ServletRegistration.Dynamic proxy = context.addServlet("proxy", MaasProxyServlet.builder()
 *         .connectTimeout(Duration.ofSeconds(2))
 *         .responseTimeout(Duration.ofMinutes(5))
 *         .build());
 * proxy.setAsyncSupported(true);
 * proxy.addMapping("/v1/*");
 * }</pre>
 *
 * <p>Path mapping: the part of the path after {@code /v1} (or after {@code /<namespace>/<model>/v1})
 * and the query string are appended to the endpoint's base URL, which ends in {@code /v1}:
 * {@code POST /v1/chat/completions} to {@code http://vllm:8000/v1} goes to
 * {@code http://vllm:8000/v1/chat/completions}.
 *
 * <p>It uses {@link java.net.http.HttpClient} asynchronously, so no servlet thread waits on a model,
 * and writes the answer with non-blocking servlet output, so no thread waits on a slow client either:
 * the upstream is asked for the next piece only once the client took the last one. It streams both
 * ways (the buffered body out, the response back chunk by chunk, each flushed); cuts a started
 * response that goes silent for longer than {@link Builder#idleTimeout}; speaks
 * HTTP/1.1 or h2c ({@link Builder#httpVersion}); replaces the client's key by the model's
 * {@link ModelRef#upstreamCredential()} if it has one and sends no {@code Authorization} otherwise;
 * strips hop-by-hop headers; round-robins over several endpoints, skipping one that refuses
 * connections; and answers 502 (unreachable, failed) or 504 (timeout) as OpenAI JSON errors.
 *
 * <p>It serves only requests the filter admitted: without a grant it answers 500 rather than
 * forward an ungoverned request. The servlet must be registered with async support. Thread-safe.
 */
public final class MaasProxyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient RelaySettings settings;
    private final transient ScheduledExecutorService idleTimer;
    /** Whether {@link #idleTimer} is the proxy's own, to stop in {@link #destroy()}. */
    private final boolean ownsIdleTimer;

    private MaasProxyServlet(Builder b) {
        HttpClient client = b.client != null ? b.client : HttpClient.newBuilder()
                .version(b.httpVersion)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // the relay never blocks (non-blocking servlet output), so the client's own selector
                // thread can run every step of an exchange: no hand-off between threads per response
                .executor(Runnable::run)
                .build();
        this.ownsIdleTimer = b.timer == null;
        if (b.timer != null) {
            this.idleTimer = b.timer;
        } else if (b.idleTimeout.isZero() && b.maxResponseDuration.isZero()) {
            this.idleTimer = null;
        } else {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread thread = new Thread(r, "maas-proxy-idle-timer");
                thread.setDaemon(true);
                return thread;
            });
            // most checks are cancelled (the exchange ended first): do not keep them queued
            timer.setRemoveOnCancelPolicy(true);
            this.idleTimer = timer;
        }
        this.settings = new RelaySettings(client, b.responseTimeout, b.idleTimeout, Optional.ofNullable(idleTimer),
                b.ticker, new Endpoints(b.refusedBackoff.toNanos(), b.ticker), b.identityHeaders,
                new ResponseLimits(b.maxResponseDuration, b.maxResponseBytes));
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Stops the proxy's own idle timer (not one given to {@link Builder#timer}); the HTTP client's
     * own thread ends once the client is unreachable.
     */
    @Override
    public void destroy() {
        if (idleTimer != null && ownsIdleTimer) {
            idleTimer.shutdownNow();
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object lease = request.getAttribute(MaasFilter.LEASE_ATTRIBUTE);
        if (!(lease instanceof Lease admitted) || !admitted.allowed()) {
            ErrorResponses.write(response, 500, "The gateway is misconfigured: requests reach the proxy without "
                    + "MaasFilter", "server_error", "not_governed");
            return;
        }
        Grant grant = admitted.admission().grant().orElseThrow();
        ModelRef model = grant.model();
        if (model.endpoints().isEmpty()) {
            ErrorResponses.write(response, 502, "The model '" + model.name() + "' has no upstream endpoint",
                    "server_error", "upstream_unavailable");
            return;
        }
        Exchange exchange = (Exchange) request.getAttribute(Exchange.ATTRIBUTE);
        String suffix = exchange != null ? exchange.route().v1Suffix()
                : Route.parse(request.getRequestURI().substring(request.getContextPath().length())).v1Suffix();
        byte[] body = request instanceof BufferedRequest buffered ? buffered.body()
                : request.getInputStream().readAllBytes();
        UpstreamRelay.start(settings, request, response, exchange, model, body, suffix);
    }

    /**
     * Builds a {@link MaasProxyServlet}. Each setting may be set once; a bad value fails at once with
     * a message naming the setting. Not thread-safe.
     */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration responseTimeout = Duration.ofMinutes(10);
        private Duration refusedBackoff = Duration.ofSeconds(2);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private HttpClient.Version httpVersion = HttpClient.Version.HTTP_1_1;
        private HttpClient client;
        private boolean identityHeaders;
        private Duration maxResponseDuration = Duration.ofMinutes(30);
        private long maxResponseBytes = 256L << 20;
        private Ticker ticker = Ticker.system();
        private ScheduledExecutorService timer;
        private final Set<String> set = new HashSet<>();

        private Builder() {
        }

        private void once(String setting) {
            if (!set.add(setting)) {
                throw new IllegalStateException(setting + " was already set");
            }
        }

        private static Duration positive(Duration value, String setting) {
            Objects.requireNonNull(value, setting);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
            return value;
        }

        /** How long to wait for a connection to an upstream (default 5 seconds). */
        public Builder connectTimeout(Duration value) {
            once("connectTimeout");
            connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /**
         * How long to wait for the upstream's response headers (default 10 minutes: a non-streamed
         * completion sends its headers only when the whole answer is generated). Once the response
         * has started, {@link #idleTimeout} applies instead.
         */
        public Builder responseTimeout(Duration value) {
            once("responseTimeout");
            responseTimeout = positive(value, "responseTimeout");
            return this;
        }

        /**
         * How long a response that has started may go without sending more while the proxy is ready
         * for more (default 5 minutes; {@link Duration#ZERO} for no limit). An upstream that stalls
         * that long is cut: the client gets an SSE error event ({@code upstream_timeout}) if it was
         * streaming, or a cut-off body, and is charged what was generated. Time spent waiting on a
         * slow client does not count.
         */
        public Builder idleTimeout(Duration value) {
            once("idleTimeout");
            Objects.requireNonNull(value, "idleTimeout");
            if (value.isNegative()) {
                throw new IllegalArgumentException("idleTimeout must be zero (no limit) or positive, was " + value);
            }
            idleTimeout = value;
            return this;
        }

        /**
         * Whether to tell the model who is calling, in headers only the gateway sets (default off):
         * {@code X-MaaS-Username}, {@code X-MaaS-Group} (sorted, comma-separated),
         * {@code X-MaaS-Key-Id} and {@code X-MaaS-Subscription}, from the verified key, so that a
         * model server or guardrail can log or act on the caller. Clients can never send these
         * ({@link MaasFilter} refuses them with 403) and, with this off, none reaches an upstream.
         */
        public Builder identityHeaders(boolean value) {
            once("identityHeaders");
            identityHeaders = value;
            return this;
        }

        /**
         * The longest a response may run once it started (default 30 minutes; {@link Duration#ZERO}
         * for no limit); a model's metadata {@link ModelRef#MAX_RESPONSE_DURATION} overrides it. A
         * response that runs longer is cut: a stream gets an SSE error event with code
         * {@code response_too_long}, and what was generated is charged.
         */
        public Builder maxResponseDuration(Duration value) {
            once("maxResponseDuration");
            Objects.requireNonNull(value, "maxResponseDuration");
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxResponseDuration must be zero (no limit) or positive, was "
                        + value);
            }
            maxResponseDuration = value;
            return this;
        }

        /**
         * The largest response body relayed, in bytes (default 256 MiB; 0 for no limit); a model's
         * metadata {@link ModelRef#MAX_RESPONSE_BYTES} overrides it. A larger response is cut: a
         * stream gets an SSE error event with code {@code response_too_large}.
         */
        public Builder maxResponseBytes(long value) {
            once("maxResponseBytes");
            if (value < 0) {
                throw new IllegalArgumentException("maxResponseBytes must be zero (no limit) or positive, was " + value);
            }
            maxResponseBytes = value;
            return this;
        }

        /** How long an endpoint that refused a connection is tried last (default 2 seconds). */
        public Builder refusedBackoff(Duration value) {
            once("refusedBackoff");
            refusedBackoff = positive(value, "refusedBackoff");
            return this;
        }

        /**
         * {@link HttpClient.Version#HTTP_1_1} (default) or {@link HttpClient.Version#HTTP_2}, which
         * speaks h2c (upgrade from HTTP/1.1) to {@code http://} upstreams and h2 over TLS.
         */
        public Builder httpVersion(HttpClient.Version value) {
            once("httpVersion");
            httpVersion = Objects.requireNonNull(value, "httpVersion");
            return this;
        }

        /**
         * An HTTP client to use instead of one built from {@link #connectTimeout} and
         * {@link #httpVersion} (for a proxy or TLS context). The proxy's own client runs every step
         * of an exchange on the client's selector thread ({@code executor(Runnable::run)}), which is
         * safe because the relay never blocks; a client with a thread-pool executor works too, at
         * the cost of a hand-off between threads for each piece of a response.
         */
        public Builder httpClient(HttpClient value) {
            once("httpClient");
            client = Objects.requireNonNull(value, "httpClient");
            return this;
        }

        /**
         * The clock and the scheduler of the {@link #idleTimeout}, the {@link #maxResponseDuration}
         * and the {@link #refusedBackoff} (default: {@code System.nanoTime()} and one daemon thread
         * of the proxy's own, stopped by {@link MaasProxyServlet#destroy()}). For tests, which pass
         * maas-testing's {@code ManualTicker} and its scheduler and then advance time instead of
         * waiting for it; the scheduler must run its tasks when the ticker passes their delay, and
         * is not shut down by the proxy. The {@link #responseTimeout} and {@link #connectTimeout}
         * are the HTTP client's, on the system clock whatever is set here.
         *
         * <pre>{@code
         * ManualTicker ticker = new ManualTicker();
         * MaasProxyServlet proxy = MaasProxyServlet.builder().idleTimeout(Duration.ofSeconds(30))
         *         .timer(ticker, ticker.scheduler()).build();
         * ticker.advance(Duration.ofSeconds(30));   // a stream silent since is cut now
         * }</pre>
         */
        public Builder timer(Ticker ticker, ScheduledExecutorService scheduler) {
            once("timer");
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            this.timer = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Builds the servlet. */
        public MaasProxyServlet build() {
            if (client != null && (set.contains("connectTimeout") || set.contains("httpVersion"))) {
                throw new IllegalStateException("httpClient cannot be combined with connectTimeout or httpVersion: "
                        + "configure them on the client");
            }
            return new MaasProxyServlet(this);
        }
    }
}
