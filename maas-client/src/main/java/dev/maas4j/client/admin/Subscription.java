package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import dev.maas4j.client.internal.Values;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A plan granting groups or users quota on models (Open Data Hub's {@code MaaSSubscription} spec
 * plus maas4j's {@code budget}), on {@code /subscriptions} (administrators). Read back, it also
 * carries Open Data Hub's read-only list fields ({@code subscription_id_header},
 * {@code model_refs}, ...) in {@link #extra()}.
 *
 * <pre>{@code
 * Subscription premium = Subscription.builder("premium", "models-as-a-service").priority(20)
 *         .owner(Subjects.groups("premium-user"))
 *         .addModel(new Subscription.Model("granite-3-8b", "llm", List.of(Subscription.TokenRateLimit.of(50_000, "1h")),
 *                 Optional.empty(), Map.of()))
 *         .build();
 * }</pre>
 *
 * @param name          unique name
 * @param namespace     namespace
 * @param priority      higher wins when several cover a request
 * @param owner         who it covers
 * @param modelRefs     the models and their quotas
 * @param tokenMetadata chargeback metadata copied to usage
 * @param budget        money its users may spend together per period
 * @param extra         properties this version does not know
 */
public record Subscription(String name, String namespace, int priority, Subjects owner, List<Model> modelRefs,
                           Optional<TokenMetadata> tokenMetadata, Optional<Budget> budget,
                           @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public Subscription {
        Values.notBlank(name, "name");
        Values.notBlank(namespace, "namespace");
        owner = owner == null ? new Subjects(List.of(), List.of()) : owner;
        modelRefs = Values.list(modelRefs);
        tokenMetadata = Values.opt(tokenMetadata);
        budget = Values.opt(budget);
        extra = Values.extra(extra);
    }

    /** A builder. */
    public static Builder builder(String name, String namespace) {
        return new Builder(name, namespace);
    }

    /**
     * A model of the subscription with its quotas.
     *
     * @param name            the model's name
     * @param namespace       the model's namespace
     * @param tokenRateLimits token quotas, per user per model
     * @param billingRate     a chargeback rate
     * @param extra           properties this version does not know
     */
    public record Model(String name, String namespace, List<TokenRateLimit> tokenRateLimits,
                        Optional<BillingRate> billingRate, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Validates and copies the components. */
        public Model {
            Values.notBlank(name, "name");
            Values.notBlank(namespace, "namespace");
            tokenRateLimits = Values.list(tokenRateLimits);
            billingRate = Values.opt(billingRate);
            extra = Values.extra(extra);
        }

        /** A model with token quotas and no billing rate. */
        public static Model of(String name, String namespace, TokenRateLimit... limits) {
            return new Model(name, namespace, List.of(limits), Optional.empty(), Map.of());
        }
    }

    /**
     * Tokens allowed per window.
     *
     * @param limit  tokens, 1 to 1,000,000,000
     * @param window {@code <1-9999><s|m|h>}, e.g. {@code 1m}, {@code 24h}
     */
    public record TokenRateLimit(long limit, String window) {
        private static final Pattern WINDOW = Pattern.compile("[1-9]\\d{0,3}[smh]");

        /** Validates the components as the CRD does. */
        public TokenRateLimit {
            if (limit < 1 || limit > 1_000_000_000L) {
                throw new IllegalArgumentException("limit must be between 1 and 1000000000, was " + limit);
            }
            if (window == null || !WINDOW.matcher(window).matches()) {
                throw new IllegalArgumentException("window must match ^[1-9]\\d{0,3}(s|m|h)$, was " + window);
            }
        }

        /** {@code limit} tokens per {@code window}. */
        public static TokenRateLimit of(long limit, String window) {
            return new TokenRateLimit(limit, window);
        }
    }

    /**
     * A chargeback rate.
     *
     * @param perToken cost per token, a decimal string on the wire
     */
    public record BillingRate(@JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal perToken) {
        /** Validates the component. */
        public BillingRate {
            Objects.requireNonNull(perToken, "perToken");
        }
    }

    /**
     * Chargeback metadata.
     *
     * @param organizationId organization billed
     * @param costCenter     cost center billed
     * @param labels         labels
     */
    public record TokenMetadata(Optional<String> organizationId, Optional<String> costCenter,
                                Map<String, String> labels) {
        /** Copies the components. */
        public TokenMetadata {
            organizationId = Values.opt(organizationId);
            costCenter = Values.opt(costCenter);
            labels = Values.strings(labels);
        }
    }

    /**
     * A budget.
     *
     * @param amount money per period, positive, a decimal string on the wire
     * @param period the period
     */
    public record Budget(@JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount, BudgetPeriod period) {
        /** Validates the components. */
        public Budget {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(period, "period");
            if (amount.signum() <= 0) {
                throw new IllegalArgumentException("budget amount must be positive, was " + amount);
            }
        }
    }

    /** Builds a {@link Subscription}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String namespace;
        private int priority;
        private Subjects owner = new Subjects(List.of(), List.of());
        private final List<Model> modelRefs = new ArrayList<>();
        private Optional<TokenMetadata> tokenMetadata = Optional.empty();
        private Optional<Budget> budget = Optional.empty();

        private Builder(String name, String namespace) {
            this.name = Values.notBlank(name, "name");
            this.namespace = Values.notBlank(namespace, "namespace");
        }

        /** Sets the priority. */
        public Builder priority(int value) {
            this.priority = value;
            return this;
        }

        /** Sets the owner. */
        public Builder owner(Subjects value) {
            this.owner = Objects.requireNonNull(value, "owner");
            return this;
        }

        /** Adds a model. */
        public Builder addModel(Model value) {
            modelRefs.add(Objects.requireNonNull(value, "model"));
            return this;
        }

        /** Sets the chargeback metadata. */
        public Builder tokenMetadata(TokenMetadata value) {
            this.tokenMetadata = Optional.of(Objects.requireNonNull(value, "tokenMetadata"));
            return this;
        }

        /** Sets the budget. */
        public Builder budget(BigDecimal amount, BudgetPeriod period) {
            this.budget = Optional.of(new Budget(amount, period));
            return this;
        }

        /** Builds the subscription. */
        public Subscription build() {
            return new Subscription(name, namespace, priority, owner, modelRefs, tokenMetadata, budget, Map.of());
        }
    }
}
