package dev.maas4j.management;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.maas4j.api.Identity;
import dev.maas4j.api.Ticker;
import jakarta.servlet.http.HttpServletRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts Kubernetes bearer tokens ({@code Authorization: Bearer <token>}: service account tokens,
 * or user tokens of an API server with OIDC) by asking the API server who they belong to, through a
 * {@link TokenReview} function: the gateway wires {@code KubernetesTokenReviews::review} of
 * maas-store-k8s into it, so that this module does not depend on a Kubernetes client.
 *
 * <p>Every authenticated caller holds {@link Role#USER}; members of an admin group also hold
 * {@link Role#ADMIN}, members of a read-only admin group {@link Role#ADMIN_READONLY}, and, with an
 * {@link AdminCheck} (a {@code SubjectAccessReview}), whoever it allows holds {@link Role#ADMIN}.
 *
 * <pre>{@code
 * KubernetesTokenReviews reviews = KubernetesTokenReviews.builder().build();   // maas-store-k8s
 * KubernetesTokenResolver kubernetes = KubernetesTokenResolver.builder(reviews::review)
 *         .adminGroups("maas-admins")
 *         .adminReadonlyGroups("maas-auditors")
 *         .adminCheck(reviews::mayAdminister)        // optional: RBAC decides who is an admin too
 *         .cacheTtl(Duration.ofSeconds(30))
 *         .build();
 * IdentityResolver resolver = IdentityResolver.firstOf(bootstrapTokens, kubernetes);
 * }</pre>
 *
 * <p><b>Caching.</b> Answers are cached by the SHA-256 of the token, never the token: an accepted
 * token for {@linkplain Builder#cacheTtl cacheTtl} (default 30 s), a refused one for
 * {@linkplain Builder#negativeCacheTtl negativeCacheTtl} (default 5 s, so that a client retrying a
 * bad token does not turn each retry into a review), at most
 * {@linkplain Builder#maximumCacheSize maximumCacheSize} tokens. A revoked or expired token is
 * therefore still accepted for up to {@code cacheTtl}: keep it short. Concurrent requests with one
 * uncached token share one review.
 *
 * <p><b>Errors.</b> When the review (or the admin check) throws, as it does when the API server
 * cannot be reached, the exception propagates, nothing is cached, and the management API answers
 * 503 (see the {@link IdentityResolver} contract). API keys ({@code sk-oai-...}) are never sent to
 * the API server.
 *
 * <p>Thread-safe.
 */
public final class KubernetesTokenResolver implements IdentityResolver {
    private static final String API_KEY_PREFIX = "sk-oai-";

    private final TokenReview review;
    private final AdminCheck adminCheck;
    private final RoleMapping roles;
    private final String groupPrefix;
    private final Duration cacheTtl;
    private final Duration negativeCacheTtl;
    private final AsyncCache<String, Answer> answers;

    private KubernetesTokenResolver(Builder b) {
        this.review = b.review;
        this.adminCheck = b.adminCheck;
        this.roles = new RoleMapping(b.adminGroups, b.adminReadonlyGroups);
        this.groupPrefix = b.groupPrefix;
        this.cacheTtl = b.cacheTtl;
        this.negativeCacheTtl = b.negativeCacheTtl;
        long positive = b.cacheTtl.toNanos();
        long negative = b.negativeCacheTtl.toNanos();
        Ticker ticker = b.ticker;
        this.answers = Caffeine.newBuilder().maximumSize(b.maximumCacheSize)
                .expireAfter(Expiry.<String, Answer>creating((hash, answer) -> Duration.ofNanos(
                        answer.failure() != null ? 0 : answer.caller().isPresent() ? positive : negative)))
                .ticker(ticker::read)
                .buildAsync();
    }

    /** A builder asking {@code review} who a token belongs to. */
    public static Builder builder(TokenReview review) {
        return new Builder(Objects.requireNonNull(review, "review"));
    }

    @Override
    public Optional<Caller> resolve(HttpServletRequest request) {
        Optional<String> bearer = BearerTokenResolver.bearerToken(request);
        if (bearer.isEmpty() || bearer.get().isBlank() || bearer.get().startsWith(API_KEY_PREFIX)) {
            return Optional.empty();
        }
        String token = bearer.get();
        // the review runs outside the cache's lock (a slow API server must not block other tokens'
        // lookups); concurrent requests with one uncached token wait for the first one's review
        String hash = sha256Hex(token);
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> pending = answers.get(hash, (key, executor) -> mine);
        Answer answer;
        if (pending == mine) {
            try {
                answer = new Answer(decide(token), null);
            } catch (RuntimeException e) {
                // shared with the requests waiting for this review, then gone at once, so the next
                // request asks again; a failure is an answer here, not a failed future, which
                // Caffeine would log with its stack trace on every request of an outage
                answer = new Answer(Optional.empty(), e);
            } catch (Error e) {
                answers.asMap().remove(hash, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            mine.complete(answer);
            if (answer.failure() != null) {
                answers.asMap().remove(hash, mine);
            }
        } else {
            answer = pending.join();
        }
        if (answer.failure() != null) {
            throw answer.failure();
        }
        return answer.caller();
    }

    private Optional<Caller> decide(String token) {
        Optional<Identity> identity = Objects.requireNonNull(review.review(token), "TokenReview returned null");
        if (identity.isEmpty()) {
            return Optional.empty();
        }
        Set<String> groups = groups(identity.get().groups());
        Set<Role> granted = roles.rolesOf(groups);
        if (!granted.contains(Role.ADMIN) && adminCheck != null && adminCheck.mayAdminister(identity.get())) {
            granted = EnumSet.copyOf(granted);
            granted.add(Role.ADMIN);
        }
        return Optional.of(new Caller(identity.get().user(), groups, granted));
    }

    private Set<String> groups(Set<String> reviewed) {
        if (groupPrefix.isEmpty()) {
            return reviewed;
        }
        Set<String> groups = new LinkedHashSet<>();
        for (String group : reviewed) {
            if (group.startsWith(groupPrefix) && group.length() > groupPrefix.length()) {
                groups.add(group.substring(groupPrefix.length()));
            }
        }
        return groups;
    }

    /** How many token answers are cached now (approximately; expired ones may still count). */
    public long cachedAnswers() {
        return answers.synchronous().estimatedSize();
    }

    /** Forgets every cached answer, so that each token is reviewed again on its next use. */
    public void invalidateAll() {
        answers.synchronous().invalidateAll();
    }

    @Override
    public String toString() {
        return "KubernetesTokenResolver[cacheTtl=" + cacheTtl + ", negativeCacheTtl=" + negativeCacheTtl
                + ", adminGroups=" + roles.adminGroups() + ", adminReadonlyGroups=" + roles.adminReadonlyGroups()
                + (groupPrefix.isEmpty() ? "" : ", groupPrefix=" + groupPrefix)
                + (adminCheck == null ? "" : ", adminCheck") + "]";
    }

    private static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** What a review of one token came to: a caller, none, or a failure to decide (never cached). */
    private record Answer(Optional<Caller> caller, RuntimeException failure) {
    }

    /**
     * Who a Kubernetes token belongs to, as the API server's {@code TokenReview} says
     * ({@code status.user.username} and {@code status.user.groups}).
     *
     * <p>Implementations must be thread-safe and must never log the token.
     */
    @FunctionalInterface
    public interface TokenReview {

        /**
         * The user and groups {@code token} authenticates as, or empty when the API server does not
         * authenticate it.
         *
         * @throws RuntimeException when the API server cannot be reached or answers an error
         */
        Optional<Identity> review(String token);
    }

    /**
     * Whether an authenticated user may administer the gateway, e.g. a {@code SubjectAccessReview}
     * of {@code update} on {@code maasauthpolicies}. Thread-safe.
     */
    @FunctionalInterface
    public interface AdminCheck {

        /**
         * Whether {@code identity} is an administrator.
         *
         * @throws RuntimeException when the question cannot be answered
         */
        boolean mayAdminister(Identity identity);
    }

    /** Builds a {@link KubernetesTokenResolver}; not thread-safe. */
    public static final class Builder {
        private final TokenReview review;
        private AdminCheck adminCheck;
        private final Set<String> adminGroups = new LinkedHashSet<>();
        private final Set<String> adminReadonlyGroups = new LinkedHashSet<>();
        private String groupPrefix = "";
        private Duration cacheTtl = Duration.ofSeconds(30);
        private Duration negativeCacheTtl = Duration.ofSeconds(5);
        private long maximumCacheSize = 10_000;
        private Ticker ticker = Ticker.system();

        private Builder(TokenReview review) {
            this.review = review;
        }

        /** Groups whose members hold {@link Role#ADMIN} (after the {@linkplain #groupPrefix prefix} is taken off). */
        public Builder adminGroups(String... groups) {
            for (String group : groups) {
                adminGroups.add(notBlank(group, "admin group"));
            }
            return this;
        }

        /** Groups whose members hold {@link Role#ADMIN_READONLY}. */
        public Builder adminReadonlyGroups(String... groups) {
            for (String group : groups) {
                adminReadonlyGroups.add(notBlank(group, "adminReadonly group"));
            }
            return this;
        }

        /**
         * Takes only the groups that start with {@code prefix}, without it: with an API server run
         * with {@code --oidc-groups-prefix=oidc:}, {@code groupPrefix("oidc:")} turns
         * {@code oidc:maas-admins} into {@code maas-admins} and drops {@code system:authenticated}.
         * Groups without the prefix are dropped rather than kept, so that a group of another origin
         * (a client certificate's organisation, say) cannot pass for one of the identity provider's.
         * None by default: every group is taken as the API server names it.
         */
        public Builder groupPrefix(String prefix) {
            this.groupPrefix = notBlank(prefix, "groupPrefix");
            return this;
        }

        /**
         * Also gives {@link Role#ADMIN} to whoever {@code check} allows (asked once per token and
         * cached with the answer, only for callers not already admins by group).
         */
        public Builder adminCheck(AdminCheck check) {
            this.adminCheck = Objects.requireNonNull(check, "adminCheck");
            return this;
        }

        /** How long an accepted token is accepted without asking again (default 30 s; zero disables). */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = notNegative(ttl, "cacheTtl");
            return this;
        }

        /** How long a refused token is refused without asking again (default 5 s; zero disables). */
        public Builder negativeCacheTtl(Duration ttl) {
            this.negativeCacheTtl = notNegative(ttl, "negativeCacheTtl");
            return this;
        }

        /** How many token answers are cached at most (default 10,000). */
        public Builder maximumCacheSize(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("maximumCacheSize must not be negative, was " + size);
            }
            this.maximumCacheSize = size;
            return this;
        }

        /** The clock the cache's periods are measured on (default {@link Ticker#system()}); tests pass a manual one. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Builds the resolver. */
        public KubernetesTokenResolver build() {
            return new KubernetesTokenResolver(this);
        }

        private static Duration notNegative(Duration value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isNegative()) {
                throw new IllegalArgumentException(field + " must not be negative, was " + value);
            }
            return value;
        }

        private static String notBlank(String value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }
    }
}
