package dev.maas4j.core.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Identity;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.ModelRef;

import java.util.Optional;

/**
 * Stage 2, authorize: may this key, acting as this identity, call this model? The model exists (in
 * the namespace the route names, if it names one), is enabled, is in the key's scope, and an auth
 * policy grants it to the identity; else 404 or 403. The one rule of which models a key may use:
 * admission and the model list both ask it. Stateless and thread-safe.
 */
public final class Authorizer {

    /** The model's catalog entry, or why the key may not call it. */
    public Decision<CatalogIndex.ModelEntry> authorize(CatalogIndex index, ApiKey key, Identity identity,
                                                       String modelName, Optional<String> namespace) {
        CatalogIndex.ModelEntry entry = index.model(modelName);
        if (entry == null) {
            return Decision.refused(Denial.of(DenialReason.MODEL_NOT_FOUND,
                    "The model '" + modelName + "' does not exist"));
        }
        ModelRef model = entry.model();
        if (namespace.isPresent() && !model.namespace().equals(namespace.get())) {
            return Decision.refused(Denial.of(DenialReason.MODEL_NOT_FOUND,
                    "The model '" + modelName + "' does not exist in namespace '" + namespace.get() + "'"));
        }
        if (!model.enabled()) {
            return Decision.refused(Denial.of(DenialReason.MODEL_DISABLED,
                    "The model '" + modelName + "' is disabled"));
        }
        if (!key.scope().allowsModel(modelName)) {
            return Decision.refused(Denial.of(DenialReason.OUT_OF_SCOPE,
                    "This API key is not scoped to the model '" + modelName + "'"));
        }
        if (!entry.authorizes(identity)) {
            return Decision.refused(Denial.of(DenialReason.NOT_AUTHORIZED,
                    "No auth policy grants '" + identity.user() + "' access to the model '" + modelName + "'"));
        }
        return Decision.granted(entry);
    }

    /**
     * Whether a key of this scope, acting as the identity, may call the model at all (the model
     * list's question: no subscription asked). {@link KeyScope#UNRESTRICTED} asks it for the
     * identity itself, as a listing before any key exists does.
     */
    public boolean mayCall(CatalogIndex.ModelEntry entry, KeyScope scope, Identity identity) {
        ModelRef model = entry.model();
        return model.enabled() && scope.allowsModel(model.name()) && entry.authorizes(identity);
    }
}
