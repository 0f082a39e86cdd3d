package dev.maas4j.management.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.AuditLog;
import dev.maas4j.api.Denial;
import dev.maas4j.api.Identity;
import dev.maas4j.api.StoreException;
import dev.maas4j.core.AuthFailureThrottle;
import dev.maas4j.core.Authentication;
import dev.maas4j.core.Credentials;
import dev.maas4j.core.OpenAiError;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.management.Caller;
import dev.maas4j.management.CredentialRejectedException;
import dev.maas4j.management.IdentityResolver;
import dev.maas4j.management.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The management API behind {@code ManagementServlet}: refuses client addresses with too many
 * failed authentications, accepts API keys only on Open Data Hub's three reads for a key (the
 * engine authenticates them), resolves the caller, routes, and turns every failure
 * into an OpenAI-style JSON error. Thread-safe.
 */
public final class ManagementApi {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementApi.class);
    private static final String API_KEY_PREFIX = "sk-oai-";
    /** The operations an API key may call (method and route pattern): Open Data Hub's reads for a key. */
    private static final Set<String> KEY_ROUTES = Set.of("GET /models", "GET /subscriptions",
            "GET /model/{model}/subscriptions");

    private final MaasEngine engine;
    private final IdentityResolver resolver;
    private final AuthFailureThrottle throttle;
    private final Settings settings;
    private final Router router = new Router();

    /**
     * An API over {@code engine}, with callers from {@code resolver}, failed authentications counted
     * per client address by {@code throttle}, changes recorded in {@code auditLog}.
     */
    public ManagementApi(MaasEngine engine, IdentityResolver resolver, AuthFailureThrottle throttle,
                         AuditLog auditLog, Settings settings) {
        this.engine = engine;
        this.resolver = resolver;
        this.throttle = throttle;
        this.settings = settings;
        Audit audit = new Audit(auditLog);
        KeyResource keys = new KeyResource(engine, audit, settings);
        keys.routes(router);
        new UsageResource(engine, keys).routes(router);
        new CatalogResource(engine, audit, settings, engine.timeSource().now().getEpochSecond()).routes(router);
        new AuditResource(audit).routes(router);
    }

    /** Handles one request; never throws for a request the API refuses. */
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        response.setHeader("x-request-id", requestId(request));
        String address = Objects.requireNonNullElse(request.getRemoteAddr(), "");
        try {
            long retryAfter = throttle.retryAfterSeconds(address);
            if (retryAfter > 0) {
                // refused before any credential is looked at: guessing from this address makes no progress
                throttle.countRefusal(AuthFailureThrottle.Api.MANAGEMENT, AuthFailureThrottle.THROTTLED);
                response.setHeader("Retry-After", Long.toString(retryAfter));
                throw ApiException.tooManyAuthenticationFailures(retryAfter);
            }
            if (presentsApiKey(request)) {
                // as Open Data Hub, three reads answer for a key's subscription; every other operation
                // needs a management credential
                Optional<Router.Match> keyRoute = keyRoute(request.getMethod(), path);
                if (keyRoute.isEmpty()) {
                    authenticationFailed(address, "api_key_not_accepted");
                    throw ApiException.unauthenticated("api_key_not_accepted",
                            "API keys (sk-oai-...) are not accepted on this operation of the management API:"
                                    + " authenticate with a management credential (your identity provider's login"
                                    + " or a management token)");
                }
                handleWithKey(request, response, address, keyRoute.get());
                return;
            }
            Optional<Caller> caller;
            try {
                caller = resolver.resolve(request);
            } catch (CredentialRejectedException e) {
                // a resolver recognised the credential as its own and says why it refuses it
                authenticationFailed(address, e.code());
                response.setHeader("WWW-Authenticate", "Bearer realm=\"maas-api\", error=\"invalid_token\"");
                throw ApiException.unauthenticated(e.code(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("identity resolution failed for {} {}: {}", request.getMethod(), path, e.toString());
                response.setHeader("Retry-After", "1");
                throw ApiException.of(503, "identity_unavailable",
                        "the caller's identity could not be established now, try again later");
            }
            if (caller.isEmpty()) {
                throw unresolved(request, address, response);
            }
            Router.Match match = router.match(request.getMethod(), path);
            Call call = new Call(request, response, caller.get(), engine.timeSource().now(), match.variables(),
                    settings.maxBodyBytes());
            match.handler().handle(call);
        } catch (ApiException e) {
            error(response, e);
        } catch (StoreException e) {
            LOG.warn("store failure on {} {}: {}", request.getMethod(), path, e.getMessage());
            response.setHeader("Retry-After", "1");
            error(response, ApiException.of(503, "store_unavailable", "a store is unavailable, try again later"));
        } catch (RuntimeException e) {
            LOG.error("management request {} {} failed", request.getMethod(), path, e);
            error(response, ApiException.of(500, "internal_error", "internal error"));
        }
    }

    /** The route of a request that may authenticate with an API key, if it is one of {@link #KEY_ROUTES}. */
    private Optional<Router.Match> keyRoute(String method, String path) {
        try {
            Router.Match match = router.match(method, path);
            return KEY_ROUTES.contains(method + " " + match.pattern()) ? Optional.of(match) : Optional.empty();
        } catch (ApiException e) {
            // an unknown path or method: refused as any other operation with a key, before it is routed
            return Optional.empty();
        }
    }

    /**
     * A read by an API key: the engine authenticates it as the model endpoints do (an unknown, revoked
     * or expired key is a 401 counted like any failed authentication); the call's caller is then the
     * key's owner as a plain user, and the resource answers for the key.
     */
    private void handleWithKey(HttpServletRequest request, HttpServletResponse response, String address,
                               Router.Match match) throws IOException {
        String presented = Credentials.presentedKey(request::getHeader).orElse("");
        Authentication authentication = engine.authenticate(presented);
        if (!authentication.succeeded()) {
            Denial denial = authentication.denial().orElseThrow();
            if (denial.httpStatus() == 401) {
                authenticationFailed(address, denial.reason().errorCode());
                response.setHeader("WWW-Authenticate", "Bearer realm=\"maas-api\"");
                throw ApiException.unauthenticated(denial.reason().errorCode(), denial.message());
            }
            response.setHeader("Retry-After", Long.toString(Math.max(1, denial.retryAfterSeconds())));
            throw ApiException.of(denial.httpStatus(), denial.reason().errorCode(), denial.message());
        }
        ApiKey key = authentication.key().orElseThrow();
        Identity identity = authentication.identity().orElseThrow();
        Caller owner = new Caller(key.owner().name(), identity.groups(), Set.of(Role.USER));
        Call call = new Call(request, response, owner, engine.timeSource().now(), match.variables(),
                settings.maxBodyBytes(), Optional.of(authentication));
        match.handler().handle(call);
    }

    /**
     * The 401 of a request no resolver claimed. The resolvers do not say why; a JWT with an issuer
     * is one of an issuer no resolver trusts, any other presented Authorization header a credential
     * they refused.
     */
    private ApiException unresolved(HttpServletRequest request, String address, HttpServletResponse response) {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"maas-api\"");
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            authenticationFailed(address, "missing_credentials");
            return ApiException.unauthenticated("missing_credentials",
                    "authentication required: send a management credential");
        }
        boolean foreignJwt = Credentials.bearer(authorization).flatMap(BearerJwt::parse).flatMap(BearerJwt::issuer)
                .isPresent();
        if (foreignJwt) {
            String code = CredentialRejectedException.Reason.UNKNOWN_ISSUER.code();
            authenticationFailed(address, code);
            return ApiException.unauthenticated(code,
                    "the token's issuer (iss) is not one this API trusts");
        }
        authenticationFailed(address, "invalid_credentials");
        return ApiException.unauthenticated("missing_credentials",
                "authentication required: send a management credential");
    }

    /** A 401: counted towards the address's limit and in {@code maas.auth.failures{api="management"}}. */
    private void authenticationFailed(String address, String reason) {
        throttle.recordFailure(address);
        throttle.countRefusal(AuthFailureThrottle.Api.MANAGEMENT, reason);
    }

    /** The caller's {@code x-request-id} if it is a sane token (echoed into a header), else a new one. */
    private static String requestId(HttpServletRequest request) {
        String given = request.getHeader("x-request-id");
        if (given != null && !given.isEmpty() && given.length() <= 128
                && given.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return given;
        }
        return UUID.randomUUID().toString();
    }

    /** An API key in {@code Authorization: Bearer}, HTTP Basic, or {@code x-api-key}, which is never acceptable here. */
    private static boolean presentsApiKey(HttpServletRequest request) {
        if (request.getHeader("x-api-key") != null || request.getHeader("api-key") != null) {
            return true;
        }
        return Credentials.presentedKey(request::getHeader).map(k -> k.startsWith(API_KEY_PREFIX)).orElse(false);
    }

    private static void error(HttpServletResponse response, ApiException e) throws IOException {
        if (response.isCommitted()) {
            LOG.debug("cannot answer {} after the response started: {}", e.status(), e.getMessage());
            return;
        }
        response.resetBuffer();
        response.setStatus(e.status());
        e.allow().ifPresent(allow -> response.setHeader("Allow", allow));
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        // with the code at the top level too, where Open Data Hub's handlers put it (docs §2)
        byte[] bytes = new OpenAiError(e.getMessage(), e.type(), e.param(), e.code()).toJson(true);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
