package dev.maas4j.store.k8s.internal;

import static dev.maas4j.store.k8s.internal.SpecValues.annotations;
import static dev.maas4j.store.k8s.internal.SpecValues.decimal;
import static dev.maas4j.store.k8s.internal.SpecValues.putIfPresent;

import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Secret;
import dev.maas4j.store.k8s.MaasAnnotations;
import dev.maas4j.store.k8s.crd.MaaSModelRefSpec;
import dev.maas4j.store.k8s.crd.MaaSModelRefStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps a {@code MaaSModelRef}: its spec as the CRD validates it, then what maas4j reads on top of
 * it, the endpoints, whether the model is enabled, its price (annotations) and its upstream
 * credential (read from its Secret each time the model is mapped: the store does not watch Secrets).
 *
 * <p>Thread-safe if its {@link SecretSource} is.
 */
final class ModelMapper {
    private static final Pattern TENANT_REF = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final List<String> BACKEND_KINDS =
            List.of(MaaSModelRefSpec.LLM_INFERENCE_SERVICE, MaaSModelRefSpec.EXTERNAL_MODEL);

    private final SecretSource secrets;
    private final boolean requireReadyPhase;

    ModelMapper(SecretSource secrets, boolean requireReadyPhase) {
        this.secrets = secrets;
        this.requireReadyPhase = requireReadyPhase;
    }

    Outcome<ModelRef> map(GenericKubernetesResource resource) throws ResourceMapper.Retry {
        MaaSModelRefSpec spec;
        MaaSModelRefStatus status;
        try {
            spec = SpecReader.read(resource, "spec", MaaSModelRefSpec.class);
            status = SpecReader.read(resource, "status", MaaSModelRefStatus.class);
        } catch (SpecReader.Malformed e) {
            return Outcome.rejected(Reasons.INVALID_SPEC, e.getMessage());
        }
        Validator v = new Validator();
        if (v.required("spec", spec) && v.required("spec.modelRef", spec.modelRef())) {
            v.required("spec.modelRef.kind", spec.modelRef().kind());
            v.oneOf("spec.modelRef.kind", spec.modelRef().kind(), BACKEND_KINDS);
            v.length("spec.modelRef.name", spec.modelRef().name(), 1, 253);
            if (spec.tenantRef() != null) {
                v.length("spec.tenantRef", spec.tenantRef(), 0, 253);
                v.pattern("spec.tenantRef", spec.tenantRef(), TENANT_REF, "");
            }
        }
        if (!v.ok()) {
            return Outcome.rejected(Reasons.INVALID_SPEC, v.message());
        }

        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        Map<String, String> annotations = annotations(resource);
        ModelRef.Builder model = ModelRef.builder(name).namespace(namespace);
        String displayName = annotations.get(MaasAnnotations.DISPLAY_NAME);
        if (displayName != null && !displayName.isBlank()) {
            model.displayName(displayName);
        }

        // the endpoint: maas4j's own annotation, then the override, then what the controller found
        String endpointText;
        String endpointField;
        if (annotations.containsKey(MaasAnnotations.ENDPOINTS)) {
            endpointText = annotations.get(MaasAnnotations.ENDPOINTS);
            endpointField = "metadata.annotations[" + MaasAnnotations.ENDPOINTS + "]";
        } else if (spec.endpointOverride() != null && !spec.endpointOverride().isBlank()) {
            endpointText = spec.endpointOverride();
            endpointField = "spec.endpointOverride";
        } else if (status != null && status.endpoint() != null && !status.endpoint().isBlank()) {
            endpointText = status.endpoint();
            endpointField = "status.endpoint";
        } else {
            endpointText = "";
            endpointField = "";
        }
        for (String part : endpointText.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Optional<URI> uri = httpUri(part.strip());
            if (uri.isEmpty()) {
                return Outcome.rejected(Reasons.INVALID_ENDPOINT, endpointField + ": Invalid value: "
                        + Validator.quote(part.strip()) + ": must be an absolute http or https URL");
            }
            model.endpoint(uri.get());
        }

        Validator a = new Validator();
        String phase = status == null ? null : status.phase();
        boolean phaseAllows = phase == null ? !requireReadyPhase : MaaSModelRefStatus.READY.equals(phase);
        boolean annotationAllows = bool(a, annotations, MaasAnnotations.ENABLED, true);
        model.enabled(phaseAllows && annotationAllows);
        price(a, annotations).ifPresent(model::price);
        if (!a.ok()) {
            return Outcome.rejected(Reasons.INVALID_ANNOTATION, a.message());
        }

        String secretName = annotations.get(MaasAnnotations.UPSTREAM_CREDENTIAL_SECRET);
        if (secretName != null && !secretName.isBlank()) {
            String key = annotations.getOrDefault(MaasAnnotations.UPSTREAM_CREDENTIAL_KEY,
                    MaasAnnotations.DEFAULT_CREDENTIAL_KEY);
            try {
                model.upstreamCredential(Secret.of(secrets.read(namespace, secretName.strip(), key)));
            } catch (SecretSource.Problem p) {
                if (p.isTransient()) {
                    throw new ResourceMapper.Retry(p.reason(), p.getMessage());
                }
                return Outcome.rejected(p.reason(), "metadata.annotations[" + MaasAnnotations.UPSTREAM_CREDENTIAL_SECRET
                        + "]: " + p.getMessage());
            }
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("modelRef.kind", spec.modelRef().kind());
        metadata.put("modelRef.name", spec.modelRef().name());
        putIfPresent(metadata, "tenantRef", spec.tenantRef());
        putIfPresent(metadata, "description", annotations.get(MaasAnnotations.DESCRIPTION));
        if (status != null) {
            putIfPresent(metadata, "phase", status.phase());
            putIfPresent(metadata, ModelRef.UPSTREAM_MODEL, status.resolvedModelAlias());
        }
        putIfPresent(metadata, ModelRef.MAX_RESPONSE_DURATION, annotations.get(MaasAnnotations.MAX_RESPONSE_DURATION));
        putIfPresent(metadata, ModelRef.MAX_RESPONSE_BYTES, annotations.get(MaasAnnotations.MAX_RESPONSE_BYTES));
        model.metadata(metadata);
        return Outcome.accepted(model.build());
    }

    private static Optional<ModelPrice> price(Validator a, Map<String, String> annotations) {
        String prompt = annotations.get(MaasAnnotations.PRICE_PROMPT_PER_MILLION);
        String completion = annotations.get(MaasAnnotations.PRICE_COMPLETION_PER_MILLION);
        if (prompt == null && completion == null) {
            return Optional.empty();
        }
        if (prompt == null || completion == null) {
            a.error("metadata.annotations", "set both " + MaasAnnotations.PRICE_PROMPT_PER_MILLION + " and "
                    + MaasAnnotations.PRICE_COMPLETION_PER_MILLION + ", or neither");
            return Optional.empty();
        }
        BigDecimal p = decimal(a, "metadata.annotations[" + MaasAnnotations.PRICE_PROMPT_PER_MILLION + "]", prompt);
        BigDecimal c = decimal(a, "metadata.annotations[" + MaasAnnotations.PRICE_COMPLETION_PER_MILLION + "]",
                completion);
        String currency = annotations.getOrDefault(MaasAnnotations.PRICE_CURRENCY, MaasAnnotations.DEFAULT_CURRENCY);
        if (currency.isBlank()) {
            a.error("metadata.annotations[" + MaasAnnotations.PRICE_CURRENCY + "]", "Required value");
            return Optional.empty();
        }
        return p == null || c == null ? Optional.empty() : Optional.of(new ModelPrice(p, c, currency.strip()));
    }

    private static boolean bool(Validator v, Map<String, String> annotations, String key, boolean absent) {
        String text = annotations.get(key);
        if (text == null) {
            return absent;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                v.error("metadata.annotations[" + key + "]", "Invalid value: " + Validator.quote(text)
                        + ": must be \"true\" or \"false\"");
                yield absent;
            }
        };
    }

    private static Optional<URI> httpUri(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported by the caller with the field's name
        }
        return Optional.empty();
    }
}
