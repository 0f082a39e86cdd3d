package dev.maas4j.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.maas4j.api.Admission;
import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.ApiKey;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.ChangeListener;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Granularity;
import dev.maas4j.api.Identity;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.RateLimitStatus;
import dev.maas4j.api.Secret;
import dev.maas4j.api.SecretHash;
import dev.maas4j.api.StoreException;
import dev.maas4j.api.Subject;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.TimeSource;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.core.internal.Admitter;
import dev.maas4j.core.internal.AuthFailureMeters;
import dev.maas4j.core.internal.CatalogIndex;
import dev.maas4j.core.internal.EngineMeters;
import dev.maas4j.core.internal.KeyCodec;
import dev.maas4j.core.internal.KeyEntry;
import dev.maas4j.core.internal.LocalLimitBackend;
import dev.maas4j.core.internal.Plan;
import dev.maas4j.core.internal.RateLimitedLog;
import dev.maas4j.core.internal.Reservation;
import dev.maas4j.core.internal.RevocationWatch;
import dev.maas4j.core.internal.SaturatingMath;
import dev.maas4j.core.internal.UsageRecorder;
import dev.maas4j.core.usage.RequestInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The governance engine: authenticates API keys, authorizes models, chooses the subscription,
 * enforces rate limits, quotas and budgets with token reservations, and meters and records usage.
 *
 * <pre>{@code
 * try (MaasEngine engine = MaasEngine.builder().store(new InMemoryStore()).build()) {
 *     try (Lease lease = engine.admit(AdmissionRequest.builder(presentedKey, "granite")
 *             .promptTokensEstimate(120).maxOutputTokens(256).build())) {
 *         if (!lease.allowed()) {
 *             Denial denial = lease.admission().denial().orElseThrow();  // 401 / 403 / 404 / 429
 *             return;
 *         }
 *         // ... call the model ...
 *         lease.complete(TokenUsage.reported(118, 240), 200);
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe. The hot path ({@link #admit}, and settling a {@link Lease}) does no I/O once a
 * key is cached and takes no global lock; usage is written to the {@link UsageLedger} in batches by
 * a background writer, and {@link #close()} flushes it.
 */
public final class MaasEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MaasEngine.class);
    private static final Duration OVERLOAD_RETRY = Duration.ofSeconds(1);
    /**
     * What the secret of a key with an unknown id is checked against, so that refusing an unknown
     * id costs what refusing a known id with a wrong secret does: one hash and one constant-time
     * comparison. No presented key hashes to it (a SHA-256 of all zeros is not known).
     */
    private static final SecretHash UNKNOWN_KEY_HASH = SecretHash.of(new byte[32]);

    private final KeyStore keyStore;
    private final CatalogStore catalogStore;
    private final UsageLedger ledger;
    private final IdentityDirectory directory;
    private final TimeSource time;
    private final KeyCodec codec;
    private final Optional<Duration> maxKeyLifetime;
    private final Cache<String, KeyEntry> keys;
    private final Cache<String, Boolean> unknownKeys;
    private final Function<String, KeyEntry> loader = this::load;
    private final Admitter admitter;
    private final EngineMeters meters;
    private final UsageRecorder recorder;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final AtomicLong catalogVersion = new AtomicLong();
    private final Object catalogLock = new Object();
    private final boolean cutRevokedRequests;
    private final RevocationWatch revocations = new RevocationWatch();
    /** {@code maas.auth.failures{api="model"}} by reason: the model API's 401s. */
    private final EnumMap<DenialReason, Counter> authFailures = new EnumMap<>(DenialReason.class);
    private final long usageBoundPromptFactor;
    private final long usageBoundPromptSlack;
    private final long usageBoundCompletionCeiling;
    private final RateLimitedLog anomalyWarning = new RateLimitedLog(Duration.ofMinutes(1));
    private volatile CatalogIndex catalog = CatalogIndex.empty();
    private volatile boolean closed;

    private MaasEngine(Builder b) {
        this.keyStore = b.keyStore;
        this.catalogStore = b.catalogStore;
        this.ledger = b.ledger;
        this.directory = b.directory;
        this.time = b.time;
        this.codec = new KeyCodec(b.serverSecret);
        this.maxKeyLifetime = b.maxKeyLifetime;
        this.cutRevokedRequests = b.cutRevokedRequests;
        this.keys = Caffeine.newBuilder().maximumSize(b.keyCacheSize).expireAfterWrite(b.keyCacheTtl)
                .removalListener((String id, KeyEntry entry, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (entry != null) {
                        flushLastUsed(entry);
                    }
                })
                .build();
        // on the engine's clock, so that the negative-cache period is the configured one in tests too
        this.unknownKeys = Caffeine.newBuilder().maximumSize(b.negativeCacheSize)
                .expireAfterWrite(b.negativeCacheTtl).ticker(b.time::epochNanos).build();
        this.meters = new EngineMeters(b.registry);
        for (DenialReason reason : DenialReason.values()) {
            if (reason.httpStatus() == 401) {
                authFailures.put(reason, AuthFailureMeters.counter(b.registry,
                        AuthFailureThrottle.Api.MODEL.tag(), reason.errorCode()));
            }
        }
        LimitBackend local = new LocalLimitBackend(b.time);
        this.admitter = new Admitter(b.limitBackend != null ? b.limitBackend : local,
                b.limitBackend != null && b.failureMode == FailureMode.FAIL_OPEN ? local : null, b.time,
                b.reservationStrategy, b.defaultMaxOutputTokens, b.expectedOutputTokens, b.budgets, b.budgetZone,
                meters);
        this.recorder = new UsageRecorder(b.ledger, b.recorderSettings(), b.registry);
        this.usageBoundPromptFactor = b.usageBoundPromptFactor;
        this.usageBoundPromptSlack = b.usageBoundPromptSlack;
        this.usageBoundCompletionCeiling = b.usageBoundCompletionCeiling;
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = b.scheduler != null ? b.scheduler : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "maas-engine-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        ChangeListener listener = new ChangeListener() {
            @Override
            public void keyChanged(String keyId) {
                keyChangedInStore(keyId);
            }

            @Override
            public void catalogChanged() {
                refreshCatalog();
            }
        };
        refreshCatalog();
        keyStore.addListener(listener);
        if (catalogStore != keyStore) {
            catalogStore.addListener(listener);
        }
        long lastUsedMillis = b.lastUsedFlushInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::flushLastUsed, lastUsedMillis, lastUsedMillis, TimeUnit.MILLISECONDS);
        long refreshMillis = b.catalogRefreshInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshCatalogQuietly, refreshMillis, refreshMillis,
                TimeUnit.MILLISECONDS);
    }

    /** A builder with the defaults: an in-memory store, the system clock, a simple meter registry. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ keys

    /**
     * Creates a key and returns its secret, which is shown this once: only its hash is stored.
     *
     * @throws IllegalArgumentException if the expiry is in the past or beyond the maximum key
     *                                  lifetime, or the subscription does not exist or does not
     *                                  include the owner
     */
    public CreatedKey createKey(KeyRequest request) {
        Objects.requireNonNull(request, "request");
        Instant now = time.now();
        Optional<Instant> expiresAt = request.expiresAt().or(() -> request.expiresIn().map(now::plus));
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
            throw new IllegalArgumentException("expiresAt must be in the future");
        }
        if (maxKeyLifetime.isPresent()) {
            Instant latest = now.plus(maxKeyLifetime.get());
            if (expiresAt.isEmpty()) {
                expiresAt = Optional.of(latest);
            } else if (expiresAt.get().isAfter(latest)) {
                throw new IllegalArgumentException("expiresAt is beyond the maximum key lifetime of "
                        + maxKeyLifetime.get());
            }
        }
        if (request.subscription().isPresent()) {
            String name = request.subscription().get();
            Subscription subscription = catalogStore.findSubscription(name).orElseThrow(
                    () -> new IllegalArgumentException("subscription '" + name + "' does not exist"));
            Identity owner = directory.identityOf(request.owner());
            if (!subscription.owner().includes(owner)) {
                throw new IllegalArgumentException("subscription '" + name + "' does not include '"
                        + request.owner().name() + "'");
            }
        }
        KeyCodec.NewKey generated = codec.generate();
        ApiKey key = ApiKey.builder()
                .id(generated.id())
                .name(request.name())
                .description(request.description())
                .owner(request.owner())
                .secretHash(generated.hash())
                .displayPrefix(generated.displayPrefix())
                .createdAt(now)
                .expiresAt(expiresAt)
                .subscription(request.subscription())
                .scope(request.scope())
                .limits(request.limits())
                .metadata(request.metadata())
                .build();
        keyStore.create(key);
        unknownKeys.invalidate(key.id());
        return new CreatedKey(key, generated.presented());
    }

    /**
     * Revokes a key; the next request with it is refused.
     *
     * @return {@code true} if the key existed and was active
     */
    public boolean revokeKey(String keyId) {
        boolean revoked = keyStore.revoke(keyId, time.now());
        invalidateKey(keyId);
        // the requests in flight under this key are told at once
        runRevocationHooks(keyId);
        return revoked;
    }

    /** Whether in-flight requests of a revoked key are told ({@link Lease#onRevocation}). */
    boolean cutsRevokedRequests() {
        return cutRevokedRequests;
    }

    /** The requests in flight that watch for the revocation of their key. */
    RevocationWatch revocations() {
        return revocations;
    }

    private void runRevocationHooks(String keyId) {
        try {
            revocations.revoked(keyId);
        } catch (RuntimeException e) {
            log.warn("cutting the requests of a revoked key failed: {}", e.toString());
        }
    }

    /**
     * A store told of a change to a key: if requests are in flight under it, look whether it was
     * revoked (or deleted, or expired), off the notifying thread, and tell them.
     */
    private void keyChangedInStore(String keyId) {
        invalidateKey(keyId);
        if (!revocations.watched(keyId) || closed) {
            return;
        }
        scheduler.execute(() -> {
            try {
                Optional<ApiKey> stored = keyStore.findById(keyId);
                if (stored.isEmpty() || stored.get().revokedAt().isPresent()
                        || stored.get().expiresAt().map(t -> !t.isAfter(time.now())).orElse(false)) {
                    runRevocationHooks(keyId);
                }
            } catch (RuntimeException e) {
                log.warn("could not check a changed key for revocation: {}", e.getMessage());
            }
        });
    }

    /** The key with this id, as stored. */
    public Optional<ApiKey> findKey(String keyId) {
        return keyStore.findById(keyId);
    }

    /** The keys owned by {@code owner}, newest first. */
    public List<ApiKey> keysOf(Subject owner) {
        return keyStore.findByOwner(owner);
    }

    /** Drops a key from the caches, so that the next request reads it from the store. */
    public void invalidateKey(String keyId) {
        keys.invalidate(keyId);
        unknownKeys.invalidate(keyId);
    }

    /**
     * Checks a presented key: format, existence, secret (constant time), revocation, expiry; and
     * resolves the identity its owner acts as now.
     */
    public Authentication authenticate(String presentedKey) {
        Objects.requireNonNull(presentedKey, "presentedKey");
        Object result = verify(presentedKey);
        if (result instanceof Denial denial) {
            return Authentication.failure(denial);
        }
        KeyEntry entry = (KeyEntry) result;
        return Authentication.success(entry, directory.identityOf(entry.key().owner()), this);
    }

    /** Either a {@link KeyEntry} or a {@link Denial}; avoids a wrapper on the hot path. */
    private Object verify(String presented) {
        String id = KeyCodec.idOf(presented);
        if (id == null) {
            return authFailure(DenialReason.INVALID_KEY, "Invalid API key");
        }
        KeyEntry entry = keys.getIfPresent(id);
        if (entry == null) {
            if (unknownKeys.getIfPresent(id) != null) {
                return unknownKey(presented);
            }
            try {
                // a load runs inside the cache's computation for this id: requests arriving with the
                // same id meanwhile wait for it instead of asking the store too
                entry = keys.get(id, loader);
            } catch (StoreException e) {
                log.warn("key store unavailable while authenticating a request: {}", e.getMessage());
                return Denial.of(DenialReason.STORE_UNAVAILABLE, "The key store is unavailable, try again later");
            }
            if (entry == null) {
                return unknownKey(presented);
            }
        }
        if (!codec.verify(presented, entry.key().secretHash())) {
            return authFailure(DenialReason.INVALID_KEY, "Invalid API key");
        }
        if (entry.revoked()) {
            return authFailure(DenialReason.REVOKED_KEY, "This API key has been revoked");
        }
        if (entry.expiredAt(time.epochNanos())) {
            return authFailure(DenialReason.EXPIRED_KEY, "This API key has expired");
        }
        return entry;
    }

    /**
     * The stored key with this id, or {@code null} (and the id remembered as unknown) if there is
     * none. Runs inside the key cache's computation for {@code id}, one at a time per id: a request
     * that waited for another's lookup of an unknown id finds it remembered and asks nobody.
     */
    private KeyEntry load(String id) {
        if (unknownKeys.getIfPresent(id) != null) {
            return null;
        }
        Optional<ApiKey> stored = keyStore.findById(id);
        if (stored.isEmpty()) {
            unknownKeys.put(id, Boolean.TRUE);
            return null;
        }
        return new KeyEntry(stored.get());
    }

    /** Refuses a key whose id does not exist, after the same work as for a wrong secret. */
    private Denial unknownKey(String presented) {
        // the result is known, the time it takes is what matters: as long as a real comparison's
        codec.verify(presented, UNKNOWN_KEY_HASH);
        return authFailure(DenialReason.INVALID_KEY, "Invalid API key");
    }

    /** Counts a 401 in {@code maas.auth.failures{api="model"}} and returns its denial. */
    private Denial authFailure(DenialReason reason, String message) {
        authFailures.get(reason).increment();
        return Denial.of(reason, message);
    }

    // ------------------------------------------------------------------ admission

    /**
     * Decides whether a request may reach its model and, if so, reserves its quota. Always returns
     * a lease; a denied lease needs no settling.
     */
    public Lease admit(AdmissionRequest request) {
        Objects.requireNonNull(request, "request");
        long started = time.epochNanos();
        if (request.presentedKey().isEmpty()) {
            return denied(request, authFailure(DenialReason.MISSING_KEY,
                    "No API key provided: send it as 'Authorization: Bearer sk-oai-...'"), RateLimitStatus.NONE);
        }
        Object verified = verify(request.presentedKey().get().reveal());
        if (verified instanceof Denial denial) {
            return denied(request, denial, RateLimitStatus.NONE);
        }
        KeyEntry entry = (KeyEntry) verified;
        return admitVerified(request, entry, directory.identityOf(entry.key().owner()), started);
    }

    /**
     * Admits a request whose key was already checked by {@link #authenticate(String)}, so that an
     * adapter can refuse a bad key from the headers alone, read the body only for a valid one, and
     * not verify the key twice. The request's {@link AdmissionRequest#presentedKey()} is ignored. A
     * key revoked or expired since it was authenticated is refused here too.
     *
     * @throws IllegalArgumentException if {@code authentication} came from another engine
     */
    public Lease admit(AdmissionRequest request, Authentication authentication) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(authentication, "authentication");
        if (!authentication.issuedBy(this)) {
            throw new IllegalArgumentException("authentication was issued by another engine");
        }
        long started = time.epochNanos();
        if (!authentication.succeeded()) {
            return denied(request, authentication.denial().orElseThrow(), RateLimitStatus.NONE);
        }
        Object current = stillValid(authentication.entry());
        if (current instanceof Denial denial) {
            return denied(request, denial, RateLimitStatus.NONE);
        }
        return admitVerified(request, (KeyEntry) current, authentication.identityOrNull(), started);
    }

    /**
     * The cached entry for a key verified a moment ago, or a {@link Denial} if it was revoked or
     * expired since: revocation evicts the entry, so a different (or no) cached entry means "look again".
     */
    private Object stillValid(KeyEntry verified) {
        String id = verified.key().id();
        KeyEntry entry = keys.getIfPresent(id);
        if (entry != verified) {
            try {
                entry = keys.get(id, this::load);
            } catch (StoreException e) {
                log.warn("key store unavailable while admitting a request: {}", e.getMessage());
                return Denial.of(DenialReason.STORE_UNAVAILABLE, "The key store is unavailable, try again later");
            }
            if (entry == null || !entry.key().secretHash().equals(verified.key().secretHash())) {
                return authFailure(DenialReason.INVALID_KEY, "Invalid API key");
            }
        }
        if (entry.revoked()) {
            return authFailure(DenialReason.REVOKED_KEY, "This API key has been revoked");
        }
        if (entry.expiredAt(time.epochNanos())) {
            return authFailure(DenialReason.EXPIRED_KEY, "This API key has expired");
        }
        return entry;
    }

    private Lease admitVerified(AdmissionRequest request, KeyEntry entry, Identity identity, long started) {
        ApiKey key = entry.key();
        CatalogIndex index = catalog;
        String planKey = request.requestedSubscription().isEmpty() ? request.model()
                : request.model() + '\n' + request.requestedSubscription().get();
        Plan plan = entry.plan(planKey);
        if (plan == null || !plan.isCurrent(index.version(), identity, started)) {
            plan = admitter.plan(index, key, identity, request.model(), request.requestedSubscription());
            entry.putPlan(planKey, plan);
        }
        if (plan.denial() != null) {
            meters.denied(plan.denial().reason());
            return denied(request, plan.denial(), RateLimitStatus.NONE);
        }
        if (recorder.saturated()) {
            return limited(request, plan, new Denial(DenialReason.OVERLOADED,
                    "The gateway is overloaded, try again shortly", OVERLOAD_RETRY), RateLimitStatus.NONE);
        }
        int maxParallel = key.limits().maxParallelRequests().orElse(0);
        if (maxParallel > 0 && entry.inFlight().incrementAndGet() > maxParallel) {
            entry.inFlight().decrementAndGet();
            return limited(request, plan, new Denial(DenialReason.TOO_MANY_PARALLEL_REQUESTS,
                    "Rate limit reached: the API key's limit of " + maxParallel + " parallel requests",
                    OVERLOAD_RETRY), RateLimitStatus.NONE);
        }
        Reservation reservation = admitter.reserve(plan, request);
        if (reservation.denial() != null) {
            if (maxParallel > 0) {
                entry.inFlight().decrementAndGet();
            }
            return limited(request, plan, reservation.denial(), reservation.status());
        }
        plan.meters().authorizedCalls().increment();
        return new Lease(this, Admission.allowed(request.requestId(), plan.grant(), reservation.status(),
                reservation.reservedTokens()), request, entry, reservation, started);
    }

    private Lease denied(AdmissionRequest request, Denial denial, RateLimitStatus status) {
        return new Lease(this, Admission.denied(request.requestId(), denial, status), request, null, null, 0);
    }

    private Lease limited(AdmissionRequest request, Plan plan, Denial denial, RateLimitStatus status) {
        meters.limited(plan.model().name(), plan.subscription().name(), denial.reason());
        return denied(request, denial, status);
    }

    /** Called once per lease by {@link Lease#settle}. */
    void settle(Lease lease, Outcome outcome, int httpStatus, TokenUsage usage) {
        Reservation reservation = lease.reservation();
        Plan plan = reservation.plan();
        KeyEntry entry = lease.keyEntry();
        TokenUsage charge = outcome != Outcome.UPSTREAM_ERROR ? usage : TokenUsage.NONE;
        // an upstream is not believed beyond what the request could produce: a buggy or hostile
        // one reporting 10^12 tokens would otherwise charge millions and lock the window for years
        AdmissionRequest request = lease.request();
        long promptBound = SaturatingMath.add(
                SaturatingMath.multiply(request.promptTokensEstimate(), usageBoundPromptFactor), usageBoundPromptSlack);
        long perChoice = request.maxOutputTokens().isPresent()
                ? Math.min(request.maxOutputTokens().getAsLong(), RequestInfo.MAX_OUTPUT_TOKENS)
                : usageBoundCompletionCeiling;
        long completionBound = SaturatingMath.multiply(perChoice, request.choices());
        boolean anomalous = false;
        if (charge.promptTokens() > promptBound || charge.completionTokens() > completionBound) {
            TokenUsage bounded = new TokenUsage(Math.min(charge.promptTokens(), promptBound),
                    Math.min(charge.completionTokens(), completionBound), charge.estimated());
            // the gateway's own estimate beyond the bound is the estimate's error, not the upstream's
            if (!charge.estimated()) {
                anomalous = true;
                usageAnomaly(lease, plan, charge, bounded);
            }
            charge = bounded;
        }
        try {
            admitter.reconcile(reservation, outcome, charge);
        } finally {
            if (entry.key().limits().maxParallelRequests().isPresent()) {
                entry.inFlight().decrementAndGet();
            }
        }
        long ended = time.epochNanos();
        if (outcome == Outcome.SUCCESS) {
            entry.touch(ended);
        }
        EngineMeters.PlanMeters planMeters = plan.meters();
        if (charge.totalTokens() > 0) {
            planMeters.authorizedHits().increment(charge.totalTokens());
            planMeters.promptTokens().increment(charge.promptTokens());
            planMeters.completionTokens().increment(charge.completionTokens());
            double cost = plan.pricing().costForMetrics(charge.promptTokens(), charge.completionTokens());
            if (cost != 0) {
                planMeters.cost().increment(cost);
            }
        }
        planMeters.duration().record(Math.max(0, ended - lease.startedNanos()), TimeUnit.NANOSECONDS);
        lease.settledAs(outcome, httpStatus, charge, ended, anomalous);
        // the event itself (instants, exact cost) is built by the writer thread, off the request path
        recorder.record(lease);
    }

    private void usageAnomaly(Lease lease, Plan plan, TokenUsage reported, TokenUsage bounded) {
        plan.meters().usageAnomalies().increment();
        if (anomalyWarning.tryAcquire()) {
            log.warn("usage reported for request {} exceeds what it could produce and is charged at the bound"
                            + " (model {}, subscription {}): reported {} prompt + {} completion tokens, bound {} + {}"
                            + " (further anomalies within a minute are counted in maas.usage.anomalies, not logged)",
                    lease.request().requestId(), plan.model().name(), plan.subscription().name(),
                    reported.promptTokens(), reported.completionTokens(), bounded.promptTokens(),
                    bounded.completionTokens());
        }
    }


    // ------------------------------------------------------------------ catalog and models

    /**
     * The models {@code key} may call, acting as {@code identity}, with the subscriptions that
     * cover each, best first (for {@code GET /v1/models}).
     */
    public List<ModelAccess> accessibleModels(ApiKey key, Identity identity) {
        CatalogIndex index = catalog;
        List<ModelAccess> result = new ArrayList<>();
        for (ModelRef model : index.models()) {
            CatalogIndex.ModelEntry entry = index.model(model.name());
            if (!model.enabled() || !key.scope().allowsModel(model.name()) || !entry.authorizes(identity)) {
                continue;
            }
            List<String> subscriptions = entry.eligible(identity).stream()
                    .map(c -> c.subscription().name())
                    .filter(name -> key.subscription().isEmpty() || key.subscription().get().equals(name))
                    .toList();
            if (!subscriptions.isEmpty()) {
                result.add(new ModelAccess(model, subscriptions));
            }
        }
        return result;
    }

    /** The model with this name, from the engine's view of the catalog. */
    public Optional<ModelRef> model(String name) {
        CatalogIndex.ModelEntry entry = catalog.model(name);
        return entry == null ? Optional.empty() : Optional.of(entry.model());
    }

    /** Re-reads models, subscriptions and policies from the catalog store. */
    public void refreshCatalog() {
        synchronized (catalogLock) {
            // one rebuild at a time, each with a newer version, so a slow rebuild never overwrites a newer one
            CatalogIndex index = CatalogIndex.build(catalogVersion.incrementAndGet(), catalogStore.models(),
                    catalogStore.subscriptions(), catalogStore.policies());
            catalog = index;
        }
    }

    private void refreshCatalogQuietly() {
        try {
            refreshCatalog();
        } catch (RuntimeException e) {
            log.warn("catalog refresh failed, keeping the previous catalog: {}", e.getMessage());
        }
    }

    // ------------------------------------------------------------------ usage

    /** Totals and a time series of the usage the query matches. */
    public UsageReport usage(UsageQuery query, Granularity granularity) {
        return new UsageReport(ledger.totals(query), granularity, ledger.series(query, granularity));
    }

    /** Waits until every usage event settled so far is written to the ledger. */
    public boolean flushUsage(Duration timeout) {
        return recorder.flush(timeout);
    }

    /** The key store. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** The catalog store. */
    public CatalogStore catalogStore() {
        return catalogStore;
    }

    /** The usage ledger. */
    public UsageLedger ledger() {
        return ledger;
    }

    /** The identity directory. */
    public IdentityDirectory directory() {
        return directory;
    }

    /** The engine's clock. */
    public TimeSource timeSource() {
        return time;
    }

    /** The meter registry. */
    public MeterRegistry meterRegistry() {
        return meters.registry();
    }

    private void flushLastUsed() {
        try {
            Map<String, Instant> used = new HashMap<>();
            for (KeyEntry entry : keys.asMap().values()) {
                long nanos = entry.takeLastUsed();
                if (nanos >= 0) {
                    used.put(entry.key().id(), TimeSource.toInstant(nanos));
                }
            }
            if (!used.isEmpty()) {
                keyStore.recordLastUsed(used);
            }
        } catch (RuntimeException e) {
            log.warn("could not record last-used times of keys: {}", e.getMessage());
        }
    }

    private void flushLastUsed(KeyEntry entry) {
        long nanos = entry.takeLastUsed();
        if (nanos >= 0 && !closed) {
            scheduler.execute(() -> {
                try {
                    keyStore.recordLastUsed(Map.of(entry.key().id(), TimeSource.toInstant(nanos)));
                } catch (RuntimeException e) {
                    log.warn("could not record the last-used time of a key: {}", e.getMessage());
                }
            });
        }
    }

    /** Flushes usage and last-used times and stops the background work. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        flushLastUsed();
        recorder.close();
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    /**
     * Builds a {@link MaasEngine}. Every setting has a default; each may be set once, and a bad
     * value fails at once with a message naming the setting. Not thread-safe.
     */
    public static final class Builder {
        private KeyStore keyStore;
        private CatalogStore catalogStore;
        private UsageLedger ledger;
        private IdentityDirectory directory;
        private TimeSource time = TimeSource.system();
        private MeterRegistry registry;
        private Optional<Secret> serverSecret = Optional.empty();
        private Optional<Duration> maxKeyLifetime = Optional.empty();
        private long keyCacheSize = 100_000;
        private Duration keyCacheTtl = Duration.ofMinutes(1);
        private long negativeCacheSize = 100_000;
        private Duration negativeCacheTtl = Duration.ofSeconds(30);
        private ReservationStrategy reservationStrategy = ReservationStrategy.EXPECTED;
        private long defaultMaxOutputTokens = 4_096;
        private long expectedOutputTokens = 512;
        private long usageBoundPromptFactor = 4;
        private long usageBoundPromptSlack = 4_096;
        private long usageBoundCompletionCeiling = 1_000_000;
        private Budgets budgets = Budgets.NONE;
        private ZoneId budgetZone = ZoneOffset.UTC;
        private LimitBackend limitBackend;
        private FailureMode failureMode = FailureMode.FAIL_CLOSED;
        private ScheduledExecutorService scheduler;
        private Duration catalogRefreshInterval = Duration.ofSeconds(30);
        private Duration lastUsedFlushInterval = Duration.ofSeconds(10);
        private boolean cutRevokedRequests = true;
        private final UsageRecorder.Settings.Builder recorder = UsageRecorder.Settings.builder();
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private Builder() {
        }

        private void once(String setting) {
            if (!set.add(setting)) {
                throw new IllegalStateException(setting + " was already set");
            }
        }

        private static Duration positive(Duration value, String setting) {
            Objects.requireNonNull(value, setting);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
            return value;
        }

        private static long positive(long value, String setting) {
            if (value <= 0) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
            return value;
        }

        /** Uses one in-memory store for keys, catalog, usage and groups. */
        public Builder store(InMemoryStore store) {
            Objects.requireNonNull(store, "store");
            return keyStore(store).catalogStore(store).ledger(store).directory(store);
        }

        /** The key store (default: an in-memory store). */
        public Builder keyStore(KeyStore value) {
            once("keyStore");
            keyStore = Objects.requireNonNull(value, "keyStore");
            return this;
        }

        /** The catalog store (default: the in-memory store). */
        public Builder catalogStore(CatalogStore value) {
            once("catalogStore");
            catalogStore = Objects.requireNonNull(value, "catalogStore");
            return this;
        }

        /** The usage ledger (default: the in-memory store). */
        public Builder ledger(UsageLedger value) {
            once("ledger");
            ledger = Objects.requireNonNull(value, "ledger");
            return this;
        }

        /** Where key owners' groups come from (default: the in-memory store's, or owners only). */
        public Builder directory(IdentityDirectory value) {
            once("directory");
            directory = Objects.requireNonNull(value, "directory");
            return this;
        }

        /** The clock (default: the system clock). */
        public Builder timeSource(TimeSource value) {
            once("timeSource");
            time = Objects.requireNonNull(value, "timeSource");
            return this;
        }

        /** Where metrics go (default: a {@link SimpleMeterRegistry}). */
        public Builder meterRegistry(MeterRegistry value) {
            once("meterRegistry");
            registry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        /** Keys key hashes with HMAC-SHA256 under this server secret (default: plain SHA-256). */
        public Builder serverSecret(Secret value) {
            once("serverSecret");
            serverSecret = Optional.of(Objects.requireNonNull(value, "serverSecret"));
            return this;
        }

        /** The longest life a new key may have; keys created without expiry get it (default: none). */
        public Builder maxKeyLifetime(Duration value) {
            once("maxKeyLifetime");
            maxKeyLifetime = Optional.of(positive(value, "maxKeyLifetime"));
            return this;
        }

        /** How many verified keys to cache (default 100,000). */
        public Builder keyCacheSize(long value) {
            once("keyCacheSize");
            keyCacheSize = positive(value, "keyCacheSize");
            return this;
        }

        /**
         * How long a verified key stays cached (default 1 minute). Revocation through the engine or
         * a store that notifies takes effect at once; this bounds staleness otherwise.
         */
        public Builder keyCacheTtl(Duration value) {
            once("keyCacheTtl");
            keyCacheTtl = positive(value, "keyCacheTtl");
            return this;
        }

        /**
         * How many unknown key ids to remember, so that a flood of guessed keys reaches the store
         * once per id, not once per request (default 100,000).
         */
        public Builder negativeCacheSize(long value) {
            once("negativeCacheSize");
            negativeCacheSize = positive(value, "negativeCacheSize");
            return this;
        }

        /**
         * How long an unknown key id is remembered (default 30 seconds): while it is, the id is
         * not looked up in the store again, and a key created through this engine with that id is
         * found at once.
         */
        public Builder negativeCacheTtl(Duration value) {
            once("negativeCacheTtl");
            negativeCacheTtl = positive(value, "negativeCacheTtl");
            return this;
        }

        /** How tokens are reserved before a request runs (default {@link ReservationStrategy#EXPECTED}). */
        public Builder reservationStrategy(ReservationStrategy value) {
            once("reservationStrategy");
            reservationStrategy = Objects.requireNonNull(value, "reservationStrategy");
            return this;
        }

        /** The completion tokens assumed when a request gives no {@code max_tokens} (default 4,096). */
        public Builder defaultMaxOutputTokens(long value) {
            once("defaultMaxOutputTokens");
            defaultMaxOutputTokens = positive(value, "defaultMaxOutputTokens");
            return this;
        }

        /** The completion tokens reserved by {@link ReservationStrategy#EXPECTED} (default 512). */
        public Builder expectedOutputTokens(long value) {
            once("expectedOutputTokens");
            expectedOutputTokens = positive(value, "expectedOutputTokens");
            return this;
        }

        /**
         * How many times its prompt estimate a request's reported prompt tokens may be (default 4);
         * beyond {@code estimate × factor + }{@link #usageBoundPromptSlack slack} the usage is
         * clamped, flagged {@linkplain UsageEvent#anomalous() anomalous}, logged and counted
         * ({@code maas.usage.anomalies}).
         *
         * <p>Why 4: text is estimated at a quarter of a token per ASCII character and one token per
         * other UTF-16 unit, so four times the estimate is at least the text's UTF-8 bytes, and a
         * byte-level tokenizer (BPE as in GPT, Llama, Qwen) never makes more than one token per
         * byte. Media parts are estimated per part ({@link dev.maas4j.core.usage.MediaEstimates}):
         * where media much larger than their figure are served, raise the figures or this factor.
         *
         * @throws IllegalArgumentException if {@code value} is below 1
         */
        public Builder usageBoundPromptFactor(long value) {
            once("usageBoundPromptFactor");
            usageBoundPromptFactor = positive(value, "usageBoundPromptFactor");
            return this;
        }

        /**
         * The prompt tokens a request's report may hold beyond {@code estimate ×}
         * {@link #usageBoundPromptFactor factor} (default 4,096). It covers what the model server
         * adds that the request's text does not show: a chat template's system prompt, tool
         * definitions rendered with their JSON keys, framing tokens beyond the four per message
         * counted; and it keeps a tiny prompt from having a tiny bound.
         *
         * @throws IllegalArgumentException if {@code value} is negative
         */
        public Builder usageBoundPromptSlack(long value) {
            once("usageBoundPromptSlack");
            if (value < 0) {
                throw new IllegalArgumentException("usageBoundPromptSlack must not be negative, was " + value);
            }
            usageBoundPromptSlack = value;
            return this;
        }

        /**
         * The completion tokens believed of each choice of a request that gives no
         * {@code max_tokens} (default 1,000,000); with one, its {@code max_tokens} is the limit (at
         * most {@link RequestInfo#MAX_OUTPUT_TOKENS}). Reported completion tokens beyond
         * {@code limit × choices} are clamped and flagged like a prompt beyond its bound. The
         * default is ten times the largest output limit of current models, so that only absurd
         * reports are clamped; it must not be below {@link #defaultMaxOutputTokens}.
         *
         * @throws IllegalArgumentException if {@code value} is below 1
         */
        public Builder usageBoundCompletionCeiling(long value) {
            once("usageBoundCompletionCeiling");
            usageBoundCompletionCeiling = positive(value, "usageBoundCompletionCeiling");
            return this;
        }

        /** Budgets per user and group (default none). */
        public Builder budgets(Budgets value) {
            once("budgets");
            budgets = Objects.requireNonNull(value, "budgets");
            return this;
        }

        /** The time zone in which budget periods start (default UTC). */
        public Builder budgetZone(ZoneId value) {
            once("budgetZone");
            budgetZone = Objects.requireNonNull(value, "budgetZone");
            return this;
        }

        /** Where limit buckets live (default: in this process). */
        public Builder limitBackend(LimitBackend value) {
            once("limitBackend");
            limitBackend = Objects.requireNonNull(value, "limitBackend");
            return this;
        }

        /** What to do when a shared store fails during a decision (default {@link FailureMode#FAIL_CLOSED}). */
        public Builder failureMode(FailureMode value) {
            once("failureMode");
            failureMode = Objects.requireNonNull(value, "failureMode");
            return this;
        }

        /** The scheduler for background maintenance (default: one daemon thread, shut down on close). */
        public Builder scheduler(ScheduledExecutorService value) {
            once("scheduler");
            scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /** How often the catalog is re-read even without a change notice (default 30 seconds). */
        public Builder catalogRefreshInterval(Duration value) {
            once("catalogRefreshInterval");
            catalogRefreshInterval = positive(value, "catalogRefreshInterval");
            return this;
        }

        /**
         * Whether requests in flight under a key are told when it is revoked, so that adapters cut
         * them (default on): {@code MaasProxyServlet} ends a stream with an SSE error event and
         * closes it. Revocation through {@link MaasEngine#revokeKey} tells them at once; a store's
         * change notice (another replica revoked it) as soon as it arrives.
         */
        public Builder cutRevokedRequests(boolean value) {
            once("cutRevokedRequests");
            cutRevokedRequests = value;
            return this;
        }

        /** How often last-used times of keys are written to the key store (default 10 seconds). */
        public Builder lastUsedFlushInterval(Duration value) {
            once("lastUsedFlushInterval");
            lastUsedFlushInterval = positive(value, "lastUsedFlushInterval");
            return this;
        }

        /**
         * The usage buffer: how many events may wait for the ledger before new requests are refused
         * with 503 (default 65,536), and how many are written per batch (default 1,000; at most
         * the capacity).
         */
        public Builder usageBuffer(int capacity, int maxBatch) {
            once("usageBuffer");
            positive(capacity, "usageBuffer capacity");
            positive(maxBatch, "usageBuffer maxBatch");
            if (maxBatch > capacity) {
                throw new IllegalArgumentException("usageBuffer maxBatch (" + maxBatch
                        + ") must not exceed its capacity (" + capacity + ")");
            }
            recorder.capacity(capacity).maxBatch(maxBatch);
            return this;
        }

        /** How often buffered usage is written even when a batch is not full (default 200 ms). */
        public Builder usageFlushInterval(Duration value) {
            once("usageFlushInterval");
            recorder.flushInterval(positive(value, "usageFlushInterval"));
            return this;
        }

        /** How long {@link #close()} waits for buffered usage to be written (default 10 seconds). */
        public Builder usageCloseTimeout(Duration value) {
            once("usageCloseTimeout");
            recorder.closeTimeout(positive(value, "usageCloseTimeout"));
            return this;
        }

        UsageRecorder.Settings recorderSettings() {
            return recorder.build();
        }

        /**
         * Builds the engine and reads the catalog.
         *
         * @throws IllegalArgumentException if {@code usageBoundCompletionCeiling} is below
         *                                  {@code defaultMaxOutputTokens}
         */
        public MaasEngine build() {
            if (usageBoundCompletionCeiling < defaultMaxOutputTokens) {
                throw new IllegalArgumentException("usageBoundCompletionCeiling (" + usageBoundCompletionCeiling
                        + ") must not be below defaultMaxOutputTokens (" + defaultMaxOutputTokens + ")");
            }
            InMemoryStore fallback = null;
            if (keyStore == null || catalogStore == null || ledger == null) {
                fallback = new InMemoryStore();
            }
            if (keyStore == null) {
                keyStore = fallback;
            }
            if (catalogStore == null) {
                catalogStore = fallback;
            }
            if (ledger == null) {
                ledger = fallback;
            }
            if (directory == null) {
                directory = catalogStore instanceof IdentityDirectory d ? d
                        : keyStore instanceof IdentityDirectory k ? k : IdentityDirectory.ownersOnly();
            }
            if (registry == null) {
                registry = new SimpleMeterRegistry();
            }
            return new MaasEngine(this);
        }
    }
}
