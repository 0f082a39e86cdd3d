package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.maas4j.client.internal.Values;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of {@code POST /api-keys}: Open Data Hub's fields ({@code name}, {@code description},
 * {@code expiresIn}, {@code ephemeral}, {@code subscription}) plus maas4j's {@code limits} and
 * {@code labels}.
 *
 * <pre>{@code
 * CreateApiKeyRequest request = CreateApiKeyRequest.builder("ci-pipeline")
 *         .subscription("premium-subscription").expiresIn(Duration.ofDays(30))
 *         .limits(KeyLimits.builder().requestsPerMinute(60).build())
 *         .label("team", "search").build();
 * }</pre>
 *
 * @param name         the key's name; required unless ephemeral
 * @param description  free text
 * @param expiresIn    lifetime such as {@code 30d}, {@code 12h}, {@code 90m}, {@code 3600s}; the server's maximum when absent
 * @param ephemeral    a short-lived programmatic key (at most one hour)
 * @param subscription the subscription to bind; the caller's highest-priority one when absent
 * @param limits       the key's own limits
 * @param labels       free-form labels
 * @param extra        further properties, written as given
 */
public record CreateApiKeyRequest(Optional<String> name, Optional<String> description, Optional<String> expiresIn,
                                  Optional<Boolean> ephemeral, Optional<String> subscription,
                                  Optional<KeyLimits> limits,
                                  @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> labels,
                                  @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public CreateApiKeyRequest {
        name = Values.opt(name);
        description = Values.opt(description);
        expiresIn = Values.opt(expiresIn);
        ephemeral = Values.opt(ephemeral);
        subscription = Values.opt(subscription);
        limits = Values.opt(limits);
        labels = Values.strings(labels);
        extra = Values.extra(extra);
        if (name.isEmpty() && !ephemeral.orElse(false)) {
            throw new IllegalArgumentException("name is required unless the key is ephemeral");
        }
    }

    /** A builder for a key named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(Optional.of(Values.notBlank(name, "name")), false);
    }

    /** A builder for an ephemeral key (one hour at most, name optional). */
    public static Builder ephemeralBuilder() {
        return new Builder(Optional.empty(), true);
    }

    /** Builds a {@link CreateApiKeyRequest}; not thread-safe. */
    public static final class Builder {
        private Optional<String> name;
        private final boolean ephemeral;
        private Optional<String> description = Optional.empty();
        private Optional<String> expiresIn = Optional.empty();
        private Optional<String> subscription = Optional.empty();
        private Optional<KeyLimits> limits = Optional.empty();
        private final Map<String, String> labels = new LinkedHashMap<>();

        private Builder(Optional<String> name, boolean ephemeral) {
            this.name = name;
            this.ephemeral = ephemeral;
        }

        /** Names an ephemeral key. */
        public Builder name(String value) {
            this.name = Optional.of(Values.notBlank(value, "name"));
            return this;
        }

        /** Sets the description. */
        public Builder description(String value) {
            this.description = Optional.of(Objects.requireNonNull(value, "description"));
            return this;
        }

        /** Sets the lifetime as on the wire: {@code 30d}, {@code 12h}, {@code 90m}, {@code 3600s}. */
        public Builder expiresIn(String value) {
            this.expiresIn = Optional.of(Checks.expiresIn(value));
            return this;
        }

        /** Sets the lifetime, written in the largest unit that divides it (days, hours, minutes, seconds, ms). */
        public Builder expiresIn(Duration value) {
            Objects.requireNonNull(value, "expiresIn");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("expiresIn must be positive, was " + value);
            }
            long millis;
            try {
                millis = value.toMillis();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("expiresIn is too long, was " + value);
            }
            if (!value.equals(Duration.ofMillis(millis))) {
                throw new IllegalArgumentException("expiresIn must be a whole number of milliseconds, was " + value);
            }
            String text = millis % 86_400_000 == 0 ? millis / 86_400_000 + "d"
                    : millis % 3_600_000 == 0 ? millis / 3_600_000 + "h"
                    : millis % 60_000 == 0 ? millis / 60_000 + "m"
                    : millis % 1_000 == 0 ? millis / 1_000 + "s" : millis + "ms";
            this.expiresIn = Optional.of(Checks.expiresIn(text));
            return this;
        }

        /** Binds the key to a subscription. */
        public Builder subscription(String value) {
            this.subscription = Optional.of(Values.notBlank(value, "subscription"));
            return this;
        }

        /** Sets the key's own limits. */
        public Builder limits(KeyLimits value) {
            this.limits = Optional.of(Objects.requireNonNull(value, "limits"));
            return this;
        }

        /** Adds a label. */
        public Builder label(String key, String value) {
            labels.put(Values.notBlank(key, "label key"), Objects.requireNonNull(value, "label value"));
            return this;
        }

        /** Builds the request. */
        public CreateApiKeyRequest build() {
            return new CreateApiKeyRequest(name, description, expiresIn,
                    ephemeral ? Optional.of(true) : Optional.empty(), subscription, limits, labels, Map.of());
        }
    }
}
