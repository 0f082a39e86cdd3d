package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import dev.maas4j.client.internal.Values;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model published through the gateway ({@code /models}, administrators). Read back, it also
 * carries Open Data Hub's read-only fields ({@code id}, {@code object}, {@code owned_by},
 * {@code ready}, ...) in {@link #extra()}; the server ignores them when written.
 *
 * <pre>{@code
 * ModelRef model = ModelRef.builder("granite-3-8b", "llm").displayName("Granite 3 8B")
 *         .endpoint(URI.create("http://granite.llm.svc:8000/v1")).price(ModelRef.Price.usd("0.20", "0.60")).build();
 * }</pre>
 *
 * @param name        the name clients use in {@code model}, unique in the catalog
 * @param namespace   the namespace it is published in
 * @param displayName a human-readable name
 * @param endpoints   upstream OpenAI-compatible base URLs, possibly none (served by the host application)
 * @param enabled     whether requests may reach it
 * @param price       its price, if priced
 * @param extra       properties this version does not know
 */
public record ModelRef(String name, String namespace, Optional<String> displayName, List<URI> endpoints,
                       boolean enabled, Optional<Price> price,
                       @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public ModelRef {
        Values.notBlank(name, "name");
        Values.notBlank(namespace, "namespace");
        displayName = Values.opt(displayName);
        endpoints = Values.list(endpoints);
        price = Values.opt(price);
        extra = Values.extra(extra);
    }

    /** A builder for an enabled model. */
    public static Builder builder(String name, String namespace) {
        return new Builder(name, namespace);
    }

    /** A builder starting from this model (its extra properties are not carried over). */
    public Builder toBuilder() {
        Builder b = new Builder(name, namespace);
        b.displayName = displayName;
        b.endpoints.addAll(endpoints);
        b.enabled = enabled;
        b.price = price;
        return b;
    }

    /**
     * A price per million tokens; amounts are decimal strings on the wire.
     *
     * @param promptPerMillion     price of a million prompt tokens
     * @param completionPerMillion price of a million completion tokens
     * @param currency             e.g. {@code USD}
     * @param extra                properties this version does not know
     */
    public record Price(@JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal promptPerMillion,
                        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal completionPerMillion,
                        String currency, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Validates the components. */
        public Price {
            Objects.requireNonNull(promptPerMillion, "promptPerMillion");
            Objects.requireNonNull(completionPerMillion, "completionPerMillion");
            Values.notBlank(currency, "currency");
            extra = Values.extra(extra);
        }

        /** A price in US dollars, e.g. {@code usd("0.15", "0.60")}. */
        public static Price usd(String promptPerMillion, String completionPerMillion) {
            return new Price(new BigDecimal(promptPerMillion), new BigDecimal(completionPerMillion), "USD", Map.of());
        }
    }

    /** Builds a {@link ModelRef}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String namespace;
        private Optional<String> displayName = Optional.empty();
        private final List<URI> endpoints = new ArrayList<>();
        private boolean enabled = true;
        private Optional<Price> price = Optional.empty();

        private Builder(String name, String namespace) {
            this.name = Values.notBlank(name, "name");
            this.namespace = Values.notBlank(namespace, "namespace");
        }

        /** Sets the display name. */
        public Builder displayName(String value) {
            this.displayName = Optional.of(Values.notBlank(value, "displayName"));
            return this;
        }

        /** Adds an upstream endpoint. */
        public Builder endpoint(URI value) {
            endpoints.add(Objects.requireNonNull(value, "endpoint"));
            return this;
        }

        /** Enables or disables the model. */
        public Builder enabled(boolean value) {
            this.enabled = value;
            return this;
        }

        /** Sets the price. */
        public Builder price(Price value) {
            this.price = Optional.of(Objects.requireNonNull(value, "price"));
            return this;
        }

        /** Builds the model. */
        public ModelRef build() {
            return new ModelRef(name, namespace, displayName, endpoints, enabled, price, Map.of());
        }
    }
}
