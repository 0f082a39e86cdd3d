package dev.maas4j.store.k8s.internal;

/** The reasons a resource is rejected, as they appear in logs and status conditions. */
public final class Reasons {
    /** The spec breaks the CRD's schema (a missing field, a bad window, a limit out of range). */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** A {@code maas4j.dev/...} annotation cannot be read. */
    public static final String INVALID_ANNOTATION = "InvalidAnnotation";
    /** The model's endpoint is not an absolute http(s) URL. */
    public static final String INVALID_ENDPOINT = "InvalidEndpoint";
    /** The referenced credentials Secret does not exist. */
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
    /** The referenced Secret has no such key. */
    public static final String SECRET_KEY_NOT_FOUND = "SecretKeyNotFound";
    /** The store's service account may not read the referenced Secret. */
    public static final String SECRET_FORBIDDEN = "SecretForbidden";
    /** The referenced Secret could not be read (API server unreachable); retried. */
    public static final String SECRET_UNAVAILABLE = "SecretUnavailable";
    /** Another resource of the same kind and name, in another watched namespace, takes precedence. */
    public static final String DUPLICATE_NAME = "DuplicateName";
    /** Accepted. */
    public static final String VALID = "Valid";

    private Reasons() {
    }
}
