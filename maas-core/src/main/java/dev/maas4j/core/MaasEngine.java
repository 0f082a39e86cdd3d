package dev.maas4j.core;

import dev.maas4j.api.Admission;
import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.ApiKey;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.ChangeListener;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Identity;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.RateLimitStatus;
import dev.maas4j.api.Secret;
import dev.maas4j.api.Subject;
import dev.maas4j.api.TimeSource;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.core.internal.Authorizer;
import dev.maas4j.core.internal.CachedPlan;
import dev.maas4j.core.internal.CatalogView;
import dev.maas4j.core.internal.EngineMeters;
import dev.maas4j.core.internal.KeyAuthenticator;
import dev.maas4j.core.internal.KeyCheck;
import dev.maas4j.core.internal.KeyCodec;
import dev.maas4j.core.internal.KeyEntry;
import dev.maas4j.core.internal.KeyRefusal;
import dev.maas4j.core.internal.LastUsedWriter;
import dev.maas4j.core.internal.LimitPlanner;
import dev.maas4j.core.internal.LimitRefusal;
import dev.maas4j.core.internal.Plan;
import dev.maas4j.core.internal.Planner;
import dev.maas4j.core.internal.RefusedPlan;
import dev.maas4j.core.internal.Reservation;
import dev.maas4j.core.internal.ReserveResult;
import dev.maas4j.core.internal.Reserver;
import dev.maas4j.core.internal.RevocationWatch;
import dev.maas4j.core.internal.SettledUsage;
import dev.maas4j.core.internal.Settler;
import dev.maas4j.core.internal.SubscriptionChooser;
import dev.maas4j.core.internal.UsageRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * <p>A facade over the request path's stages, each a unit of its own in {@code core.internal}, in
 * the order of {@link #admit(AdmissionRequest)}: authenticate ({@code KeyAuthenticator}), authorize
 * ({@code Authorizer}), choose the subscription ({@code SubscriptionChooser}), plan the limits
 * ({@code LimitPlanner}; the three cached together by {@code Planner}), admit ({@code Reserver}),
 * and, once the model answered, settle ({@code Settler}).
 *
 * <p>Thread-safe. The hot path ({@link #admit}, and settling a {@link Lease}) does no I/O once a
 * key is cached and takes no global lock; usage is written to the {@link UsageLedger} in batches by
 * a background writer, and {@link #close()} flushes it. The builder below is long because every
 * setting is documented where it is set.
 */
public final class MaasEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MaasEngine.class);
    private static final Duration OVERLOAD_RETRY = Duration.ofSeconds(1);

    private final IdentityDirectory directory;
    private final TimeSource time;
    private final boolean cutRevokedRequests;
    private final EngineMeters meters;
    private final UsageRecorder recorder;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    // the stages, in the order of a request
    private final KeyAuthenticator authenticator;
    private final CatalogView catalogView;
    private final Planner planner;
    private final Reserver reserver;
    private final Settler settler;
    // what runs beside them
    private final LastUsedWriter lastUsed;
    private final RevocationWatch revocations;
    private final KeyService keys;
    private final CatalogService catalogService;
    private final UsageService usage;
    private volatile boolean closed;

    private MaasEngine(Builder b) {
        KeyStore keyStore = b.keyStore;
        CatalogStore catalogStore = b.catalogStore;
        this.directory = b.directory;
        this.time = b.time;
        KeyCodec codec = new KeyCodec(b.serverSecret);
        this.cutRevokedRequests = b.cutRevokedRequests;
        this.meters = new EngineMeters(b.registry);
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = b.scheduler != null ? b.scheduler : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "maas-engine-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        this.lastUsed = new LastUsedWriter(keyStore, scheduler);
        this.revocations = new RevocationWatch(keyStore, time, scheduler);
        this.authenticator = new KeyAuthenticator(keyStore, codec, time, b.keyCacheSize, b.keyCacheTtl,
                b.negativeCacheSize, b.negativeCacheTtl, b.registry, lastUsed::evicted);
        Authorizer authorizer = new Authorizer();
        SubscriptionChooser chooser = new SubscriptionChooser();
        this.catalogView = new CatalogView(catalogStore, authorizer, chooser);
        this.planner = new Planner(authorizer, chooser, new LimitPlanner(time, b.budgets, b.budgetZone, meters));
        LimitBackend local = LimitBackend.local(time);
        this.reserver = new Reserver(b.limitBackend != null ? b.limitBackend : local,
                b.limitBackend != null && b.failureMode == FailureMode.FAIL_OPEN ? local : null, time,
                b.reservationStrategy, b.defaultMaxOutputTokens, b.expectedOutputTokens);
        this.recorder = new UsageRecorder(b.ledger, b.recorderSettings(), b.registry);
        this.settler = new Settler(reserver, recorder, time, b.usageBoundPromptFactor, b.usageBoundPromptSlack,
                b.usageBoundCompletionCeiling);
        this.catalogService = new CatalogService(catalogStore, catalogView);
        this.usage = new UsageService(b.ledger, recorder);
        this.keys = new KeyService(keyStore, catalogService, directory, codec, time, b.maxKeyLifetime, authenticator,
                revocations);
        ChangeListener listener = new ChangeListener() {
            @Override
            public void keyChanged(String keyId) {
                authenticator.invalidate(keyId);
                revocations.changedInStore(keyId);
            }

            @Override
            public void catalogChanged() {
                catalogView.refresh();
            }
        };
        catalogView.refresh();
        keyStore.addListener(listener);
        if (catalogStore != keyStore) {
            catalogStore.addListener(listener);
        }
        long lastUsedMillis = b.lastUsedFlushInterval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> lastUsed.flush(authenticator.cached()), lastUsedMillis, lastUsedMillis,
                TimeUnit.MILLISECONDS);
        long refreshMillis = b.catalogRefreshInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshCatalogQuietly, refreshMillis, refreshMillis,
                TimeUnit.MILLISECONDS);
    }

    /** A builder with the defaults: an in-memory store, the system clock, a simple meter registry. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ the request path

    /**
     * Checks a presented key: format, existence, secret (constant time), revocation, expiry; and
     * resolves the identity its owner acts as now. Stage 1 alone, for adapters that check the key
     * from the headers before they read a body ({@link #admit(AdmissionRequest, Authentication)}).
     */
    public Authentication authenticate(String presentedKey) {
        Objects.requireNonNull(presentedKey, "presentedKey");
        KeyCheck check = authenticator.check(presentedKey);
        if (check instanceof KeyRefusal refusal) {
            return Authentication.failure(refusal.denial());
        }
        KeyEntry entry = (KeyEntry) check;
        return Authentication.success(entry, directory.identityOf(entry.key().owner()), this);
    }

    /**
     * Decides whether a request may reach its model and, if so, reserves its quota. Always returns
     * a lease; a denied lease needs no settling.
     */
    public Lease admit(AdmissionRequest request) {
        Objects.requireNonNull(request, "request");
        long started = time.epochNanos();
        if (request.presentedKey().isEmpty()) {
            return denied(request, authenticator.missing().denial(), RateLimitStatus.NONE);
        }
        KeyCheck check = authenticator.check(request.presentedKey().get().reveal());        // 1. authenticate
        if (check instanceof KeyRefusal refusal) {
            return denied(request, refusal.denial(), RateLimitStatus.NONE);
        }
        KeyEntry entry = (KeyEntry) check;
        return admitAuthenticated(request, entry, directory.identityOf(entry.key().owner()), started);
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
        KeyCheck check = authenticator.recheck(authentication.entry());                       // 1. (again)
        if (check instanceof KeyRefusal refusal) {
            return denied(request, refusal.denial(), RateLimitStatus.NONE);
        }
        return admitAuthenticated(request, (KeyEntry) check, authentication.identityOrNull(), started);
    }

    private Lease admitAuthenticated(AdmissionRequest request, KeyEntry entry, Identity identity, long started) {
        // 2. authorize, 3. choose the subscription, 4. plan the limits: decided once, then cached
        CachedPlan decided = planner.planFor(catalogView.index(), entry, identity, request, started);
        if (decided instanceof RefusedPlan refused) {
            meters.denied(refused.denial().reason());
            return denied(request, refused.denial(), RateLimitStatus.NONE);
        }
        Plan plan = (Plan) decided;
        if (recorder.saturated()) {
            return limited(request, plan, new Denial(DenialReason.OVERLOADED,
                    "The gateway is overloaded, try again shortly", OVERLOAD_RETRY), RateLimitStatus.NONE);
        }
        ApiKey key = entry.key();
        int maxParallel = key.limits().maxParallelRequests().orElse(0);
        if (maxParallel > 0 && entry.inFlight().incrementAndGet() > maxParallel) {
            entry.inFlight().decrementAndGet();
            return limited(request, plan, new Denial(DenialReason.TOO_MANY_PARALLEL_REQUESTS,
                    "Rate limit reached: the API key's limit of " + maxParallel + " parallel requests",
                    OVERLOAD_RETRY), RateLimitStatus.NONE);
        }
        ReserveResult reserved = reserver.reserve(plan, request);                               // 5. admit
        if (reserved instanceof LimitRefusal refusal) {
            if (maxParallel > 0) {
                entry.inFlight().decrementAndGet();
            }
            return limited(request, plan, refusal.denial(), refusal.status());
        }
        Reservation reservation = (Reservation) reserved;
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

    /**
     * A refusal an adapter decides itself, before the engine could (a path not in normal form, a
     * body that is too large, slow or malformed, a missing model): counted with the engine's own
     * in {@code maas.denials{reason}}, so that every refusal is in one set of metrics.
     */
    public Denial refuse(DenialReason reason, String message) {
        return refuse(reason, message, Duration.ZERO);
    }

    /** {@link #refuse(DenialReason, String)} with a {@code Retry-After}. */
    public Denial refuse(DenialReason reason, String message, Duration retryAfter) {
        Objects.requireNonNull(reason, "reason");
        meters.denied(reason);
        return new Denial(reason, message, retryAfter);
    }

    /** 6. settle: called once per lease by {@link Lease#settle}. */
    void settle(Lease lease, Outcome outcome, int httpStatus, TokenUsage usage) {
        Reservation reservation = lease.reservation();
        TokenUsage reported = outcome != Outcome.UPSTREAM_ERROR ? usage : TokenUsage.NONE;
        TokenUsage charge = settler.bounded(lease.request(), reservation.plan(), reported);
        long ended = settler.account(reservation, lease.keyEntry(), outcome, charge, lease.startedNanos());
        settler.record(new SettledUsage(lease.request(), lease.keyEntry(), reservation, lease.startedNanos(), outcome,
                httpStatus, charge, ended, charge != reported && !reported.estimated()));
    }

    /** Whether in-flight requests of a revoked key are told ({@link Lease#onRevocation}). */
    boolean cutsRevokedRequests() {
        return cutRevokedRequests;
    }

    /** The requests in flight that watch for the revocation of their key. */
    RevocationWatch revocations() {
        return revocations;
    }

    // ------------------------------------------------------------------ keys, catalog, usage

    /** The keys: create, revoke, find, search (every rule about keys is there). */
    public KeyService keys() {
        return keys;
    }

    /**
     * Creates a key: {@code keys().create(request)}.
     *
     * @throws KeyRequestException naming the field at fault
     */
    public CreatedKey createKey(KeyRequest request) {
        return keys.create(request);
    }

    /** Revokes a key: {@code keys().revoke(keyId)}. */
    public boolean revokeKey(String keyId) {
        return keys.revoke(keyId);
    }

    /** The catalog: models, subscriptions, policies, and which of them an identity or a key may use. */
    public CatalogService catalog() {
        return catalogService;
    }

    /** The usage metered: reports and totals from the ledger, and waiting for it to be written. */
    public UsageService usage() {
        return usage;
    }

    /** The identity {@code owner} acts as now: their groups, from the identity directory. */
    public Identity identityOf(Subject owner) {
        return directory.identityOf(Objects.requireNonNull(owner, "owner"));
    }

    private void refreshCatalogQuietly() {
        try {
            catalogView.refresh();
        } catch (RuntimeException e) {
            log.warn("catalog refresh failed, keeping the previous catalog: {}", e.getMessage());
        }
    }

    /** The engine's clock. */
    public TimeSource timeSource() {
        return time;
    }

    /** The meter registry. */
    public MeterRegistry meterRegistry() {
        return meters.registry();
    }

    /** Flushes usage and last-used times and stops the background work. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lastUsed.close(authenticator::cached);
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
            return stores(store.bundle());
        }

        /**
         * Uses a store's bundle: its keys, catalog, ledger and identities, and its shared limits if
         * it has them (the audit log is the management API's).
         */
        public Builder stores(StoreBundle value) {
            Objects.requireNonNull(value, "stores");
            keyStore(value.keys()).catalogStore(value.catalog()).ledger(value.ledger()).directory(value.identities());
            value.limits().ifPresent(this::limitBackend);
            return this;
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

        /** Where key owners' groups come from (default: the bundle's, else owners only, with no groups). */
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
            if (keyStore == null || catalogStore == null || ledger == null) {
                // what was not given comes from one in-memory bundle
                StoreBundle memory = StoreBundle.inMemory();
                keyStore = keyStore != null ? keyStore : memory.keys();
                catalogStore = catalogStore != null ? catalogStore : memory.catalog();
                ledger = ledger != null ? ledger : memory.ledger();
                directory = directory != null ? directory : memory.identities();
            }
            if (directory == null) {
                directory = IdentityDirectory.ownersOnly();
            }
            if (registry == null) {
                registry = new SimpleMeterRegistry();
            }
            return new MaasEngine(this);
        }
    }
}
