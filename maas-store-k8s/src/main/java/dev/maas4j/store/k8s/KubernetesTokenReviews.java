package dev.maas4j.store.k8s;

import dev.maas4j.api.Identity;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Asks the Kubernetes API server who a bearer token belongs to ({@code TokenReview},
 * {@code authentication.k8s.io/v1}) and, optionally, whether that user may administer the gateway
 * ({@code SubjectAccessReview}, {@code authorization.k8s.io/v1}).
 *
 * <p>The gateway's service account needs {@code create} on {@code tokenreviews} (and on
 * {@code subjectaccessreviews} for {@link #mayAdminister}), which the {@code system:auth-delegator}
 * cluster role grants. Nothing is cached here: the management API's {@code KubernetesTokenResolver}
 * caches answers by a hash of the token.
 *
 * <pre>{@code
 * try (KubernetesTokenReviews reviews = KubernetesTokenReviews.builder()   // the pod's service account
 *         .audiences("maas-gateway")                                       // optional
 *         .adminAccess(ResourceAccess.MAAS_ADMIN.inNamespace("models-as-a-service"))
 *         .build()) {
 *     Optional<Identity> who = reviews.review(token);                      // empty: not authenticated
 *     boolean admin = who.isPresent() && reviews.mayAdminister(who.get());
 * }
 * }</pre>
 *
 * <p><b>Errors.</b> An answer of the API server decides: a token it does not authenticate gives
 * empty, a user it does not authorize gives {@code false}. When there is no answer (the server
 * cannot be reached, or answers an HTTP error such as 403 for a service account without the
 * grant) the methods throw {@link IllegalStateException}, so that a caller can tell "no" from
 * "cannot tell". Messages never contain the token.
 *
 * <p>Thread-safe. {@link #close()} closes the client only when this object created it.
 */
public final class KubernetesTokenReviews implements AutoCloseable {
    private final KubernetesClient client;
    private final boolean ownsClient;
    private final List<String> audiences;
    private final ResourceAccess adminAccess;

    private KubernetesTokenReviews(Builder b) {
        this.ownsClient = b.client == null;
        this.client = ownsClient ? new KubernetesClientBuilder().build() : b.client;
        this.audiences = List.copyOf(b.audiences);
        this.adminAccess = b.adminAccess;
    }

    /**
     * A builder over a client of its own, configured as fabric8 does by default: in a pod, the
     * pod's service account token and the cluster's CA; elsewhere {@code ~/.kube/config}.
     */
    public static Builder builder() {
        return new Builder(null);
    }

    /** A builder reviewing through {@code client}, which stays the caller's to close. */
    public static Builder builder(KubernetesClient client) {
        return new Builder(Objects.requireNonNull(client, "client"));
    }

    /**
     * The user and groups the API server authenticates {@code token} as ({@code status.user}),
     * or empty when it does not authenticate the token (or, with {@linkplain Builder#audiences
     * audiences}, authenticates it for none of them).
     *
     * @throws IllegalArgumentException if the token is blank
     * @throws IllegalStateException    if the API server cannot be reached or answers an error
     */
    public Optional<Identity> review(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        TokenReview request = new TokenReviewBuilder().withNewSpec().withToken(token)
                .withAudiences(audiences.isEmpty() ? null : audiences).endSpec().build();
        TokenReview answer;
        try {
            answer = client.authentication().v1().tokenReviews().create(request);
        } catch (KubernetesClientException e) {
            throw failure("TokenReview", e);
        }
        TokenReviewStatus status = answer == null ? null : answer.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
            return Optional.empty();
        }
        if (!audiences.isEmpty() && (status.getAudiences() == null
                || status.getAudiences().stream().noneMatch(audiences::contains))) {
            // the API server names the audiences the token is valid for; it must be one of ours
            return Optional.empty();
        }
        UserInfo user = status.getUser();
        if (user == null || user.getUsername() == null || user.getUsername().isBlank()) {
            return Optional.empty();
        }
        Set<String> groups = new LinkedHashSet<>();
        if (user.getGroups() != null) {
            user.getGroups().stream().filter(g -> g != null && !g.isBlank()).forEach(groups::add);
        }
        return Optional.of(new Identity(user.getUsername(), groups));
    }

    /**
     * Whether {@code identity} is allowed the {@linkplain Builder#adminAccess admin access}
     * (by default {@link ResourceAccess#MAAS_ADMIN}).
     *
     * @throws IllegalStateException if the API server cannot be reached or answers an error
     */
    public boolean mayAdminister(Identity identity) {
        return allows(identity, adminAccess);
    }

    /**
     * Whether the API server's authorizers allow {@code identity} the {@code access}
     * ({@code status.allowed}).
     *
     * @throws IllegalStateException if the API server cannot be reached or answers an error
     */
    public boolean allows(Identity identity, ResourceAccess access) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(access, "access");
        SubjectAccessReview request = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(identity.user()).withGroups(new ArrayList<>(identity.groups()))
                .withNewResourceAttributes().withVerb(access.verb()).withGroup(access.group())
                .withResource(access.resource()).withNamespace(access.namespace()).endResourceAttributes()
                .endSpec().build();
        SubjectAccessReview answer;
        try {
            answer = client.authorization().v1().subjectAccessReview().create(request);
        } catch (KubernetesClientException e) {
            throw failure("SubjectAccessReview", e);
        }
        SubjectAccessReviewStatus status = answer == null ? null : answer.getStatus();
        return status != null && Boolean.TRUE.equals(status.getAllowed());
    }

    /** The access {@link #mayAdminister} asks about. */
    public ResourceAccess adminAccess() {
        return adminAccess;
    }

    private static IllegalStateException failure(String review, KubernetesClientException e) {
        // only the code and the server's status message: fabric8's own message is not ours to vouch for
        Status status = e.getStatus();
        String reason = status != null && status.getMessage() != null ? ": " + status.getMessage()
                : e.getCode() == 0 ? ": " + e.getClass().getSimpleName()
                + (e.getCause() != null ? " (" + e.getCause().getClass().getSimpleName() + ")" : "") : "";
        String code = e.getCode() == 0 ? "no answer" : "HTTP " + e.getCode();
        return new IllegalStateException(review + " failed, " + code + reason, e);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "KubernetesTokenReviews[audiences=" + audiences + ", adminAccess=" + adminAccess + "]";
    }

    /** Builds {@link KubernetesTokenReviews}; not thread-safe. */
    public static final class Builder {
        private final KubernetesClient client;
        private final List<String> audiences = new ArrayList<>();
        private ResourceAccess adminAccess = ResourceAccess.MAAS_ADMIN;

        private Builder(KubernetesClient client) {
            this.client = client;
        }

        /**
         * The audiences a token must be valid for (sent as {@code spec.audiences}); none by default,
         * which means the API server's own audience.
         */
        public Builder audiences(String... audiences) {
            for (String audience : audiences) {
                Objects.requireNonNull(audience, "audience");
                if (audience.isBlank()) {
                    throw new IllegalArgumentException("audience must not be blank");
                }
                if (!this.audiences.contains(audience)) {
                    this.audiences.add(audience);
                }
            }
            return this;
        }

        /** The access {@link #mayAdminister} asks about (default {@link ResourceAccess#MAAS_ADMIN}). */
        public Builder adminAccess(ResourceAccess access) {
            this.adminAccess = Objects.requireNonNull(access, "adminAccess");
            return this;
        }

        /** Builds the reviews; with {@link KubernetesTokenReviews#builder()}, creates the client. */
        public KubernetesTokenReviews build() {
            return new KubernetesTokenReviews(this);
        }
    }
}
