package dev.maas4j.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.Subscription;
import dev.maas4j.management.internal.ApiException;
import dev.maas4j.management.internal.CatalogInputs;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Catalog documents in the management API's input shapes (the bodies of {@code POST /models},
 * {@code POST /policies} and {@code POST /subscriptions}, and a subscription's {@code budget}; see
 * {@code docs/management-api.md}, which follow Open Data Hub's CRDs), read from a Jackson tree into
 * {@link ModelRef}, {@link AuthPolicy}, {@link Subscription} and {@link Budget} by the very code the
 * API reads its bodies with: whatever the API refuses with a 400, this refuses with an
 * {@link InvalidDocumentException} naming the same field, below {@code path}. A tree read from
 * YAML works as one read from JSON; the gateway reads its configuration file's catalog so.
 *
 * <pre>{@code
 * ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
 * ModelRef granite = CatalogDocuments.model(yaml.readTree("""
 *         name: granite
 *         endpoints: [http://vllm:8000/v1]
 *         price: {promptPerMillion: "0.15", completionPerMillion: "0.60"}
 *         """), "models[0]");
 * AuthPolicy everyone = CatalogDocuments.policy(yaml.readTree("""
 *         name: everyone
 *         subjects: {groups: [{name: "system:authenticated"}]}
 *         modelRefs: [{name: granite}]
 *         """), "policies[0]", ref -> ref.name().equals("granite"));
 * // a price of "cheap": InvalidDocumentException
 * //   "models[0].price.promptPerMillion must be a decimal number such as "25.00""
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class CatalogDocuments {
    private CatalogDocuments() {
    }

    /**
     * Reads a model ({@code name}, {@code namespace}, {@code displayName}, {@code endpoints},
     * {@code enabled}, {@code price}, {@code upstreamCredential}, {@code upstreamModel},
     * {@code maxResponseDuration}, {@code maxResponseBytes}, {@code metadata}).
     *
     * @param document the document, an object
     * @param path     where the document is, for messages ({@code models[0]}); empty for a root document
     * @return the model
     * @throws InvalidDocumentException naming the field at fault
     */
    public static ModelRef model(JsonNode document, String path) {
        return read(path, () -> CatalogInputs.model(document));
    }

    /**
     * Reads an auth policy ({@code name}, {@code namespace}, {@code subjects.groups[].name},
     * {@code subjects.users[]}, {@code modelRefs[].name}, {@code .namespace}, {@code meteringMetadata}).
     *
     * @param document    the document, an object
     * @param path        where the document is, for messages ({@code policies[0]})
     * @param modelExists whether a model the policy names exists; one that does not is an error
     * @return the policy
     * @throws InvalidDocumentException naming the field at fault
     */
    public static AuthPolicy policy(JsonNode document, String path, Predicate<ModelReference> modelExists) {
        Objects.requireNonNull(modelExists, "modelExists");
        return read(path, () -> CatalogInputs.policy(document, modelExists));
    }

    /**
     * Reads a subscription ({@code name}, {@code namespace}, {@code priority}, {@code owner},
     * {@code modelRefs[]} with {@code tokenRateLimits}, {@code requestRateLimits} and
     * {@code billingRate}, {@code tokenMetadata}, {@code budget}).
     *
     * @param document    the document, an object
     * @param path        where the document is, for messages ({@code subscriptions[0]})
     * @param modelExists whether a model the subscription names exists; one that does not is an error
     * @return the subscription
     * @throws InvalidDocumentException naming the field at fault
     */
    public static Subscription subscription(JsonNode document, String path, Predicate<ModelReference> modelExists) {
        Objects.requireNonNull(modelExists, "modelExists");
        return read(path, () -> CatalogInputs.subscription(document, modelExists));
    }

    /**
     * Reads a budget, {@code {amount: "25.00", period: month}} ({@code day}, {@code week},
     * {@code month}), as a subscription's {@code budget} is written.
     *
     * @param document the document, an object
     * @param path     where the document is, for messages ({@code budgets.users.alice})
     * @return the budget
     * @throws InvalidDocumentException naming the field at fault
     */
    public static Budget budget(JsonNode document, String path) {
        return read(path, () -> CatalogInputs.budget(document));
    }

    private static <T> T read(String path, Supplier<T> reading) {
        Objects.requireNonNull(path, "path");
        try {
            return reading.get();
        } catch (ApiException e) {
            throw InvalidDocumentException.of(path, e);
        }
    }

    /**
     * A catalog document the management API would refuse. The message is one line that starts
     * with the path of the field at fault, e.g. {@code models[0].price.promptPerMillion must be a
     * decimal string >= 0} or {@code policies[1].modelRefs[0].name: no model named 'x' in namespace
     * 'default'}; it never contains a credential.
     */
    public static final class InvalidDocumentException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final String path;

        private InvalidDocumentException(String path, String message) {
            super(message);
            this.path = path;
        }

        /** The path of the field at fault, e.g. {@code models[0].price.promptPerMillion}. */
        public String path() {
            return path;
        }

        static InvalidDocumentException of(String prefix, ApiException e) {
            String param = e.param().orElse("");
            String field = join(prefix, param);
            String message = e.getMessage();
            if (e.code().equals("unknown_field")) {
                message = field + ": unknown field";
            } else if (!param.isEmpty() && message.startsWith(param)) {
                message = field + message.substring(param.length());
            } else if (!field.isEmpty()) {
                message = field + (e.code().equals("invalid_body") ? " must be an object" : ": " + message);
            }
            return new InvalidDocumentException(field, message);
        }

        private static String join(String prefix, String param) {
            if (prefix.isEmpty() || param.isEmpty()) {
                return prefix + param;
            }
            return param.startsWith("[") ? prefix + param : prefix + "." + param;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            // a wrong document, not a bug: the message says all
            return this;
        }
    }
}
