package dev.maas4j.store.k8s;

/**
 * The annotations maas4j reads on the MaaS custom resources, for what Open Data Hub's CRDs do not
 * carry: prices, upstream credentials, a direct upstream endpoint and budgets. All are optional;
 * a resource without them maps exactly as Open Data Hub reads it.
 *
 * <pre>{@code
 * apiVersion: maas.opendatahub.io/v1alpha1
 * kind: MaaSModelRef
 * metadata:
 *   name: gpt-4o-mini
 *   namespace: llm
 *   annotations:
 *     maas4j.dev/price-prompt-per-million: "0.15"
 *     maas4j.dev/price-completion-per-million: "0.60"
 *     maas4j.dev/price-currency: USD
 *     maas4j.dev/endpoints: https://api.openai.com/v1
 *     maas4j.dev/upstream-credential-secret: openai-credentials   # a Secret in namespace llm
 *     maas4j.dev/upstream-credential-key: api-key
 * spec:
 *   modelRef: {kind: ExternalModel, name: gpt-4o-mini}
 * }</pre>
 *
 * <p>A credential is never read from an annotation: annotations are visible to anyone who may
 * {@code get} the resource and are printed by {@code kubectl describe}. It is read from a Secret in
 * the resource's namespace, held as a redacting {@link dev.maas4j.api.Secret}, and never logged.
 *
 * <p>An annotation that cannot be read (a price that is not a number, a Secret that does not exist)
 * rejects its resource with a reason, like a schema violation.
 */
public final class MaasAnnotations {
    /** The prefix of maas4j's annotations. */
    public static final String PREFIX = "maas4j.dev/";

    /** (MaaSModelRef) The price of one million prompt tokens, a decimal such as {@code "0.15"}; set with the completion price. */
    public static final String PRICE_PROMPT_PER_MILLION = PREFIX + "price-prompt-per-million";
    /** (MaaSModelRef) The price of one million completion tokens, a decimal; set with the prompt price. */
    public static final String PRICE_COMPLETION_PER_MILLION = PREFIX + "price-completion-per-million";
    /** (MaaSModelRef) The currency of the prices, default {@value #DEFAULT_CURRENCY}. */
    public static final String PRICE_CURRENCY = PREFIX + "price-currency";
    /** The currency when {@link #PRICE_CURRENCY} is absent. */
    public static final String DEFAULT_CURRENCY = "USD";

    /**
     * (MaaSModelRef) The name of a Secret, in the model's namespace, holding the credential the
     * gateway sends upstream instead of the client's key (external providers).
     */
    public static final String UPSTREAM_CREDENTIAL_SECRET = PREFIX + "upstream-credential-secret";
    /** (MaaSModelRef) The key in that Secret, default {@value #DEFAULT_CREDENTIAL_KEY}. */
    public static final String UPSTREAM_CREDENTIAL_KEY = PREFIX + "upstream-credential-key";
    /** The Secret key when {@link #UPSTREAM_CREDENTIAL_KEY} is absent. */
    public static final String DEFAULT_CREDENTIAL_KEY = "api-key";

    /**
     * (MaaSModelRef) Upstream base URLs, comma-separated (e.g. {@code http://vllm.llm.svc:8000/v1}):
     * where a maas4j gateway sends requests, before {@code spec.endpointOverride} and
     * {@code status.endpoint}. Use it when maas4j runs beside Open Data Hub's gateway, whose
     * {@code status.endpoint} is the route through that gateway.
     */
    public static final String ENDPOINTS = PREFIX + "endpoints";
    /** (MaaSModelRef) {@code "false"} disables the model without deleting it; default {@code "true"}. */
    public static final String ENABLED = PREFIX + "enabled";

    /**
     * (MaaSModelRef) The longest a response of the model may run once started, in maas4j's
     * duration syntax ({@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}; {@code 0s} for none,
     * {@link dev.maas4j.api.DurationText}); the gateway's default otherwise.
     */
    public static final String MAX_RESPONSE_DURATION = PREFIX + "max-response-duration";
    /** (MaaSModelRef) The largest response body of the model, in bytes; the gateway's default otherwise. */
    public static final String MAX_RESPONSE_BYTES = PREFIX + "max-response-bytes";

    /** (MaaSSubscription) Money the subscription's users may spend together per period, a positive decimal. */
    public static final String BUDGET = PREFIX + "budget";
    /** (MaaSSubscription) The budget's period: {@code day}, {@code week} or {@code month} (default). */
    public static final String BUDGET_PERIOD = PREFIX + "budget-period";

    /** (any) Open Data Hub's human-readable name, used as the model's display name. */
    public static final String DISPLAY_NAME = "openshift.io/display-name";
    /** (any) Open Data Hub's description, copied to the model's metadata as {@code description}. */
    public static final String DESCRIPTION = "openshift.io/description";

    private MaasAnnotations() {
    }
}
