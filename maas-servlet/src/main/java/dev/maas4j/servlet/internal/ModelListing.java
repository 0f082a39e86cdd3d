package dev.maas4j.servlet.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Identity;
import dev.maas4j.core.Authentication;
import dev.maas4j.core.Credentials;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.ModelAccess;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The governance filter's own answer to {@code GET .../v1/models} and {@code GET .../v1/models/{id}}:
 * the models the calling key may use (the engine decides which, as at admission), in a route
 * {@code /<namespace>/<model>/v1/models} only that model. One per filter; thread-safe.
 */
public final class ModelListing {
    private final MaasEngine engine;
    private final RequestGate gate;
    private final Refusals refusals;
    /** The {@code created} of a model that states none: when the filter started. */
    private final long startedEpochSeconds;

    /** Lists {@code engine}'s models, authenticating through {@code gate}. */
    public ModelListing(MaasEngine engine, RequestGate gate, Refusals refusals, long startedEpochSeconds) {
        this.engine = engine;
        this.gate = gate;
        this.refusals = refusals;
        this.startedEpochSeconds = startedEpochSeconds;
    }

    /** Whether {@code request} asks for the model list or one of its models. */
    public static boolean asks(HttpServletRequest request, Route route) {
        return "GET".equals(request.getMethod())
                && (route.v1Suffix().equals("/models") || route.v1Suffix().startsWith("/models/"));
    }

    /** Answers the request: the list, the one model, or the refusal. */
    public void serve(HttpServletRequest request, HttpServletResponse response, Route route) throws IOException {
        Optional<String> key = Credentials.presentedKey(request::getHeader);
        if (key.isEmpty()) {
            ErrorResponses.denial(response, Denial.of(DenialReason.MISSING_KEY,
                    "No API key provided: send it as 'Authorization: Bearer sk-oai-...'"));
            return;
        }
        Authentication auth = gate.authenticate(request, response, key.get());
        if (auth == null) {
            return;
        }
        ApiKey apiKey = auth.key().orElseThrow();
        Identity identity = auth.identity().orElseThrow();
        List<ModelAccess> models = engine.catalog().accessibleModels(apiKey, identity);
        if (route.model().isPresent()) {
            String only = route.model().get();
            models = models.stream().filter(m -> m.model().name().equals(only)).toList();
        }
        byte[] body;
        String suffix = route.v1Suffix();
        if (suffix.startsWith("/models/")) {
            String id = suffix.substring("/models/".length());
            Optional<ModelAccess> found = models.stream().filter(m -> m.model().name().equals(id)).findFirst();
            if (found.isEmpty()) {
                refusals.refuse(response, DenialReason.MODEL_NOT_FOUND, "The model '" + id + "' does not exist or "
                        + "you do not have access to it.");
                return;
            }
            body = ModelList.single(found.get(), startedEpochSeconds);
        } else {
            body = ModelList.list(models, startedEpochSeconds);
        }
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
