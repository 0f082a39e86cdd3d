package dev.maas4j.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model published through the gateway (Open Data Hub's {@code MaaSModelRef}).
 *
 * <p>Clients name the model by {@link #name()} in a request body's {@code model} field, or by the
 * route {@code /<namespace>/<name>/v1/...}.
 *
 * @param name               the model's name, unique in the catalog
 * @param namespace          the namespace it is published in
 * @param displayName        a human-readable name
 * @param endpoints          upstream base URLs (OpenAI-compatible, e.g. {@code http://vllm:8000/v1}), possibly empty
 *                           when the host application serves the model itself
 * @param enabled            whether requests may reach it
 * @param price              its price, if it is priced
 * @param upstreamCredential the credential the gateway sends upstream instead of the client's key
 *                           (external providers), if any
 * @param metadata           free-form labels
 */
public record ModelRef(String name, String namespace, String displayName, List<URI> endpoints, boolean enabled,
                       Optional<ModelPrice> price, Optional<Secret> upstreamCredential,
                       Map<String, String> metadata) {

    /** The namespace used when none is given. */
    public static final String DEFAULT_NAMESPACE = "default";

    /**
     * Metadata key: the name the upstream serves the model under, when it differs from {@link #name()}
     * (Open Data Hub's {@code status.resolvedModelAlias}, e.g. {@code facebook/opt-125m} for the
     * model {@code facebook-opt-125m}). See {@link #upstreamModel()}.
     */
    public static final String UPSTREAM_MODEL = "resolvedModelAlias";

    /**
     * Metadata key: the longest a response of this model may run once it started, in
     * {@link DurationText}'s syntax ({@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}; {@code 0s}
     * for no limit); the proxy's default otherwise.
     */
    public static final String MAX_RESPONSE_DURATION = "maxResponseDuration";

    /** Metadata key: the largest response body of this model, in bytes; the proxy's default otherwise. */
    public static final String MAX_RESPONSE_BYTES = "maxResponseBytes";

    /** Validates and copies the components. */
    public ModelRef {
        name = Checks.notBlank(name, "name");
        namespace = Checks.notBlank(namespace, "namespace");
        displayName = Checks.notBlank(displayName, "displayName");
        endpoints = Checks.list(endpoints, "endpoints");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(upstreamCredential, "upstreamCredential");
        metadata = Checks.map(metadata, "metadata");
    }

    /**
     * The name the model's upstream serves it under: {@link #UPSTREAM_MODEL} from the metadata,
     * else {@link #name()}. A request body's {@code model} may name either, and the upstream always
     * gets this one.
     */
    public String upstreamModel() {
        String alias = metadata.get(UPSTREAM_MODEL);
        return alias == null || alias.isBlank() ? name : alias;
    }

    /** A builder for a model named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder pre-filled with this model's values. */
    public Builder toBuilder() {
        Builder b = new Builder(name).namespace(namespace).displayName(displayName).enabled(enabled)
                .metadata(metadata);
        b.endpoints.addAll(endpoints);
        b.price = price;
        b.upstreamCredential = upstreamCredential;
        return b;
    }

    /** Builds {@link ModelRef} values; not thread-safe. */
    public static final class Builder {
        private final String name;
        private String namespace = DEFAULT_NAMESPACE;
        private String displayName;
        private final List<URI> endpoints = new ArrayList<>();
        private boolean enabled = true;
        private Optional<ModelPrice> price = Optional.empty();
        private Optional<Secret> upstreamCredential = Optional.empty();
        private Map<String, String> metadata = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = Checks.notBlank(name, "name");
        }

        /** Sets the namespace (default {@value ModelRef#DEFAULT_NAMESPACE}). */
        public Builder namespace(String value) {
            namespace = value;
            return this;
        }

        /** Sets the display name (default: the name). */
        public Builder displayName(String value) {
            displayName = value;
            return this;
        }

        /** Adds an upstream endpoint. */
        public Builder endpoint(URI value) {
            endpoints.add(Objects.requireNonNull(value, "endpoint"));
            return this;
        }

        /** Adds an upstream endpoint. */
        public Builder endpoint(String value) {
            return endpoint(URI.create(value));
        }

        /** Enables or disables the model (default enabled). */
        public Builder enabled(boolean value) {
            enabled = value;
            return this;
        }

        /** Sets the price. */
        public Builder price(ModelPrice value) {
            price = Optional.of(value);
            return this;
        }

        /** Sets the upstream credential. */
        public Builder upstreamCredential(Secret value) {
            upstreamCredential = Optional.of(value);
            return this;
        }

        /** Replaces the metadata. */
        public Builder metadata(Map<String, String> value) {
            metadata = new LinkedHashMap<>(value);
            return this;
        }

        /** Builds the model. */
        public ModelRef build() {
            return new ModelRef(name, namespace, displayName == null ? name : displayName, endpoints, enabled, price,
                    upstreamCredential, metadata);
        }
    }
}
