package dev.maas4j.servlet;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.Grant;
import dev.maas4j.api.RequestIds;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.AuthFailureThrottle;
import dev.maas4j.core.Authentication;
import dev.maas4j.core.Credentials;
import dev.maas4j.core.Lease;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.usage.MediaEstimates;
import dev.maas4j.servlet.internal.BodyIntake;
import dev.maas4j.servlet.internal.BodyReader;
import dev.maas4j.servlet.internal.Exchange;
import dev.maas4j.servlet.internal.GovernedChain;
import dev.maas4j.servlet.internal.ModelListing;
import dev.maas4j.servlet.internal.RateLimitHeaders;
import dev.maas4j.servlet.internal.Refusals;
import dev.maas4j.servlet.internal.RequestFacts;
import dev.maas4j.servlet.internal.RequestGate;
import dev.maas4j.servlet.internal.Route;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The governance filter: put it in front of a model endpoint (the host's own servlet or
 * {@link MaasProxyServlet}) and every request is authenticated by API key, authorized, admitted
 * against quotas and budgets, and metered from the response as it streams.
 *
 * <pre>{@code
 * MaasEngine engine = MaasEngine.builder().store(store).build();
 * ServletContext context = ...;
 * FilterRegistration.Dynamic filter = context.addFilter("maas", MaasFilter.builder(engine)
 *         .maxBodyBytes(4 << 20)
 *         .build());
 * filter.setAsyncSupported(true);
 * filter.addMappingForUrlPatterns(null, false, "/v1/*");   // "/*" to govern /<namespace>/<model>/v1/... too
 * ServletRegistration.Dynamic proxy = context.addServlet("proxy", MaasProxyServlet.builder().build());
 * proxy.setAsyncSupported(true);
 * proxy.addMapping("/v1/*");
 * }</pre>
 *
 * <p>Per request, in this order, it:
 * <ul>
 *   <li>refuses a path that is not in normal form (dot segments, {@code //}, backslashes, {@code ;},
 *       escaped {@code . / \ ; %}) with 400 {@code invalid_path}: the part after {@code /v1} is
 *       appended to a model's base URL, and an upstream that normalizes it would be reached outside it;</li>
 *   <li>refuses a client-sent header of the gateway's namespace ({@code X-MaaS-*} but
 *       {@code X-MaaS-Subscription}) with 403 {@code forbidden_header};</li>
 *   <li>answers {@code GET .../v1/models} and {@code GET .../v1/models/{id}} itself with the models
 *       the calling key may use, unless {@link Builder#serveModelList} is off;</li>
 *   <li>reads the key from {@code Authorization: Bearer}, {@code x-api-key} or HTTP Basic (the key as
 *       the password) and checks it <em>from the headers alone</em>: a missing, unknown, revoked or
 *       expired key is refused (401) before a byte of the body is read, and an address that failed
 *       too often is refused (429 {@code too_many_authentication_failures}) before its key is even
 *       looked at ({@link Builder#authFailureThrottle});</li>
 *   <li>refuses a token endpoint's body that is not JSON in UTF-8 with 415 {@code unsupported_media_type};</li>
 *   <li>reads the body once, within {@link Builder#maxBodyBytes} (413, after reading a body of up to
 *       twice the limit to its end, so that its client reads the answer), {@link Builder#bodyTimeout}
 *       and {@link Builder#minBodyBytesPerSecond} (408), and
 *       {@link Builder#maxConcurrentBodiesPerAddress} (429); memory grows with the bytes that arrive,
 *       never with the length declared;</li>
 *   <li>finds the model in the route {@code /<namespace>/<model>/v1/...} or the body's {@code model}
 *       (a JSON body, or a {@code multipart/form-data} form), refusing two different ones with 400
 *       {@code model_mismatch}; honours {@code X-MaaS-Subscription} (checked against eligibility);
 *       and answers denials as OpenAI JSON errors (400, 401, 403, 404, 413, 429 with
 *       {@code Retry-After}, 503);</li>
 *   <li>sets the {@code x-ratelimit-*} headers of the limits that applied;</li>
 *   <li>passes the body on naming the authorized model as its upstream serves it
 *       ({@link dev.maas4j.api.ModelRef#upstreamModel()}), with {@code stream_options.include_usage}
 *       added to streamed chat and text completions when {@link Builder#includeUsageInStreams} is
 *       on, and hides the client's credentials (headers, and query parameters that carry one) from
 *       everything downstream;</li>
 *   <li>exposes the admitted {@link Lease} and {@link Grant} as the request attributes
 *       {@link #LEASE_ATTRIBUTE} and {@link #GRANT_ATTRIBUTE};</li>
 *   <li>observes the response as it passes (server-sent events are flushed chunk by chunk, nothing is
 *       held back) and settles the lease exactly once: reported usage; an estimate, flagged, when
 *       the client disconnects or the upstream reports none; nothing when the upstream fails before
 *       any output;</li>
 *   <li>cuts the response if the key is revoked meanwhile: the proxy ends a stream with an SSE
 *       {@code revoked_api_key} event; a host's own servlet's next write gets that event and then an
 *       {@code IOException}, after which the filter ends the response cleanly.</li>
 * </ul>
 *
 * <p>Client addresses are the container's {@code getRemoteAddr()}: behind a proxy, configure the
 * container to take the client's address from it. On Tomcat, set the connector's
 * {@code connectionTimeout} to bound how long Tomcat itself reads (swallows) what remains of a body
 * the filter refused before it closes the connection.
 *
 * <p><b>Async servlets</b> are supported: settlement waits for the async cycle to complete, fail or
 * time out. An async servlet must write to the response object it was given (start async with
 * {@code request.startAsync(request, response)}), not to the container's original response.
 *
 * <p>Thread-safe; one instance serves all requests. The presented key never appears in logs,
 * exceptions or downstream headers.
 */
public final class MaasFilter implements Filter {
    /** Request attribute with the admitted {@link Lease} (type {@code dev.maas4j.core.Lease}). */
    public static final String LEASE_ATTRIBUTE = "dev.maas4j.lease";
    /** Request attribute with the admitted request's {@link Grant} (type {@code dev.maas4j.api.Grant}). */
    public static final String GRANT_ATTRIBUTE = "dev.maas4j.grant";
    /** Request attribute with the request id the usage is recorded under (a {@link String}). */
    public static final String REQUEST_ID_ATTRIBUTE = "dev.maas4j.requestId";
    /** The header a client names a subscription in. */
    public static final String SUBSCRIPTION_HEADER = "X-MaaS-Subscription";
    /** The response header carrying the request id. */
    public static final String REQUEST_ID_HEADER = "x-request-id";

    private final MaasEngine engine;
    private final MediaEstimates mediaEstimates;
    private final boolean includeUsageInStreams;
    private final boolean serveModelList;
    private final Refusals refusals;
    private final RequestGate gate;
    private final BodyIntake bodies;
    private final ModelListing models;

    private MaasFilter(Builder b) {
        this.engine = b.engine;
        this.mediaEstimates = b.mediaEstimates;
        this.includeUsageInStreams = b.includeUsageInStreams;
        this.serveModelList = b.serveModelList;
        AuthFailureThrottle authFailures = b.authFailures != null ? b.authFailures : AuthFailureThrottle.builder()
                .timeSource(b.engine.timeSource()).meterRegistry(b.engine.meterRegistry()).build();
        this.refusals = new Refusals(b.engine);
        this.gate = new RequestGate(b.engine, authFailures, refusals);
        this.bodies = new BodyIntake(new BodyReader(b.maxBodyBytes, b.bodyTimeout, b.minBodyBytesPerSecond,
                b.maxConcurrentBodiesPerAddress, b.engine.timeSource()), b.maxBodyBytes, b.engine, refusals);
        this.models = new ModelListing(b.engine, gate, refusals, Instant.now().getEpochSecond());
    }

    /** A builder for a filter governed by {@code engine}. */
    public static Builder builder(MaasEngine engine) {
        return new Builder(engine);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        if (request.getAttribute(Exchange.ATTRIBUTE) != null) {
            // an async or forward re-dispatch of a request this filter already admitted
            chain.doFilter(req, res);
            return;
        }
        if (gate.refusesPathOrHeaders(request, response)) {
            return;
        }
        Route route = Route.parse(pathWithinApplication(request));
        if (serveModelList && ModelListing.asks(request, route)) {
            models.serve(request, response, route);
            return;
        }
        String requestId = RequestIds.next();
        response.setHeader(REQUEST_ID_HEADER, requestId);
        Optional<String> key = Credentials.presentedKey(request::getHeader);
        if (key.isEmpty()) {
            gate.refuseAnonymous(request, response, route, requestId);
            return;
        }
        Authentication authentication = gate.authenticate(request, response, key.get());
        if (authentication == null) {
            return;
        }
        EndpointKind endpoint = EndpointKind.fromPath(route.v1Suffix());
        String contentType = request.getContentType();
        if (gate.refusesMediaType(request, response, endpoint, contentType)) {
            return;
        }
        byte[] body = bodies.read(request, response);
        if (body == null) {
            return;
        }
        RequestFacts facts;
        try {
            facts = RequestFacts.of(body, contentType, endpoint, mediaEstimates);
        } catch (IllegalArgumentException e) {
            refusals.refuse(response, DenialReason.MALFORMED_REQUEST, "We could not parse the body of your request: "
                    + e.getMessage());
            return;
        }
        if (route.model().isPresent() && facts.model().isPresent()
                && !namesTheSameModel(route.model().get(), facts.model().get())) {
            refusals.refuse(response, DenialReason.MODEL_MISMATCH, "The route names the model '"
                    + route.model().get() + "' but the body names '" + facts.model().get()
                    + "': name one model, or the same in both");
            return;
        }
        Optional<String> model = route.model().or(facts::model);
        if (model.isEmpty()) {
            refusals.refuse(response, DenialReason.MODEL_REQUIRED, "you must provide a model parameter");
            return;
        }
        AdmissionRequest.Builder admission = AdmissionRequest.builder(null, model.get())
                .endpoint(endpoint)
                .promptTokensEstimate(facts.promptTokensEstimate())
                .choices(facts.choices())
                .stream(facts.stream())
                .requestId(requestId);
        facts.maxOutputTokens().ifPresent(admission::maxOutputTokens);
        route.namespace().ifPresent(admission::namespace);
        String subscription = request.getHeader(SUBSCRIPTION_HEADER);
        if (subscription != null && !subscription.isBlank()) {
            admission.requestedSubscription(subscription.strip());
        }
        Lease lease = engine.admit(admission.build(), authentication);
        if (!lease.allowed()) {
            refusals.deny(response, lease);
            return;
        }
        RateLimitHeaders.apply(response, lease.admission().rateLimits());
        // the model that was authorized is the model the upstream gets, whatever the route or body said
        Grant grant = lease.admission().grant().orElseThrow();
        try {
            body = facts.forwardedBody(body, contentType, grant.model().upstreamModel(), includeUsageInStreams
                    && (endpoint == EndpointKind.CHAT_COMPLETIONS || endpoint == EndpointKind.COMPLETIONS));
        } catch (IllegalArgumentException e) {
            // a body that must change but cannot (JSON in UTF-16, say): refused, and nothing is charged
            lease.complete(TokenUsage.NONE, 400);
            refusals.refuse(response, DenialReason.MALFORMED_REQUEST, "We could not prepare the body of your "
                    + "request: " + e.getMessage());
            return;
        }
        Exchange exchange = new Exchange(lease, endpoint, facts.promptTokensEstimate(), response, route);
        exchange.watchRevocation();
        request.setAttribute(Exchange.ATTRIBUTE, exchange);
        request.setAttribute(LEASE_ATTRIBUTE, lease);
        request.setAttribute(GRANT_ATTRIBUTE, grant);
        request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
        GovernedChain.run(chain, request, response, exchange, body, key.get());
    }

    /** Whether a body's {@code model} names the routed model: by its name, or as its upstream serves it. */
    private boolean namesTheSameModel(String routed, String named) {
        return routed.equals(named)
                || engine.catalog().model(routed).map(m -> m.upstreamModel().equals(named)).orElse(false);
    }

    private static String pathWithinApplication(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length())
                : uri;
    }

    /**
     * Builds a {@link MaasFilter}. Each setting may be set once; a bad value fails at once with a
     * message naming the setting. Not thread-safe.
     */
    public static final class Builder {
        private final MaasEngine engine;
        private long maxBodyBytes = 10L << 20;
        private Duration bodyTimeout = Duration.ofSeconds(30);
        private long minBodyBytesPerSecond = 1024;
        private int maxConcurrentBodiesPerAddress = 32;
        private MediaEstimates mediaEstimates = MediaEstimates.DEFAULTS;
        private AuthFailureThrottle authFailures;
        private boolean includeUsageInStreams = true;
        private boolean serveModelList = true;
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private Builder(MaasEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        private void once(String setting) {
            if (!set.add(setting)) {
                throw new IllegalStateException(setting + " was already set");
            }
        }

        /** The largest request body accepted, in bytes; larger ones get 413 (default 10 MiB). */
        public Builder maxBodyBytes(long value) {
            once("maxBodyBytes");
            if (value <= 0 || value > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxBodyBytes must be between 1 and " + (Integer.MAX_VALUE - 8)
                        + ", was " + value);
            }
            maxBodyBytes = value;
            return this;
        }

        /**
         * The longest a whole request body may take to arrive once its key is accepted (default 30
         * seconds); a slower body is answered 408. Checked as bytes arrive: a client that sends
         * nothing at all is cut by the container's idle timeout.
         */
        public Builder bodyTimeout(Duration value) {
            once("bodyTimeout");
            Objects.requireNonNull(value, "bodyTimeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("bodyTimeout must be positive, was " + value);
            }
            bodyTimeout = value;
            return this;
        }

        /**
         * The slowest average rate at which a request body may arrive, after its first two seconds
         * (default 1,024 bytes per second; 0 for no minimum); a slower body is answered 408.
         */
        public Builder minBodyBytesPerSecond(long value) {
            once("minBodyBytesPerSecond");
            if (value < 0) {
                throw new IllegalArgumentException("minBodyBytesPerSecond must not be negative, was " + value);
            }
            minBodyBytesPerSecond = value;
            return this;
        }

        /**
         * How many requests from one client address ({@code getRemoteAddr()}) may be sending their
         * body at the same time (default 32; 0 for no bound); more are answered 429 with
         * {@code Retry-After} without reading their body, so that one address cannot hold every
         * container thread with slow bodies.
         */
        public Builder maxConcurrentBodiesPerAddress(int value) {
            once("maxConcurrentBodiesPerAddress");
            if (value < 0) {
                throw new IllegalArgumentException("maxConcurrentBodiesPerAddress must not be negative, was " + value);
            }
            maxConcurrentBodiesPerAddress = value;
            return this;
        }

        /**
         * The tokens reserved for each image, audio clip or file in a prompt before the model
         * reports the real count (default {@link MediaEstimates#DEFAULTS}).
         */
        public Builder mediaEstimates(MediaEstimates value) {
            once("mediaEstimates");
            mediaEstimates = Objects.requireNonNull(value, "mediaEstimates");
            return this;
        }

        /**
         * Counts failed authentications per client address and refuses an address that failed too
         * often with 429 and {@code Retry-After}, without looking at its key (default: 20 failures
         * a minute, on the engine's clock and meter registry). Give the management API the same
         * instance, so that guesses on either API count together.
         */
        public Builder authFailureThrottle(AuthFailureThrottle value) {
            once("authFailureThrottle");
            authFailures = Objects.requireNonNull(value, "authFailureThrottle");
            return this;
        }

        /**
         * Whether streamed chat and text completions get {@code stream_options.include_usage: true}
         * added, so that the model reports exact usage in a final chunk (default on). Clients
         * that did not ask for it see one extra chunk with empty {@code choices}, which the
         * OpenAI SDKs accept.
         */
        public Builder includeUsageInStreams(boolean value) {
            once("includeUsageInStreams");
            includeUsageInStreams = value;
            return this;
        }

        /** Whether the filter answers {@code GET /v1/models} itself (default on). */
        public Builder serveModelList(boolean value) {
            once("serveModelList");
            serveModelList = value;
            return this;
        }

        /** Builds the filter. */
        public MaasFilter build() {
            return new MaasFilter(this);
        }
    }
}
