package dev.maas4j.gateway;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Secret;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.core.Budgets;
import dev.maas4j.core.CreatedKey;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.StoreBundle;
import dev.maas4j.servlet.MaasFilter;
import dev.maas4j.servlet.MaasProxyServlet;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The runnable maas4j gateway: Jetty 12 with {@link MaasFilter}, {@link MaasProxyServlet},
 * {@code GET /v1/models}, the management API under {@code /maas-api/v1} and, unless disabled, the
 * built-in demo model {@code demo-echo}.
 *
 * <pre>{@code
 * java -jar maas-gateway.jar [config.yaml]        # or MAAS_CONFIG=config.yaml, MAAS_PORT=8080
 * MAAS_LOG_LEVEL=info,org.eclipse.jetty=debug java -jar maas-gateway.jar   # logs: standard error, no credentials
 *
 * try (Gateway gateway = Gateway.start(GatewayConfig.load(Optional.empty(), System.getenv()), System.out)) {
 *     URI base = gateway.baseUri();                  // http://127.0.0.1:8080
 * }
 * }</pre>
 *
 * <p>Routes: {@code /v1/*} and {@code /<namespace>/<model>/v1/*} (governed), {@code /maas-api/v1/*}
 * (management), {@code /healthz}. {@link #close()} stops accepting requests, lets Jetty finish
 * the ones in flight for up to 10 seconds, and flushes usage; the JVM's shutdown hook (SIGTERM,
 * Ctrl-C) calls it. Thread-safe.
 *
 * <p>This class is the gateway's lifecycle: it opens the stores, builds the engine and publishes
 * the catalog, then starts Jetty ({@code JettyServer}) with the routes ({@code GatewayRoutes}), and
 * closes them in the reverse order.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final Server server;
    private final MaasEngine engine;
    private final OpenedStores store;
    private final URI baseUri;
    private final Optional<String> demoKey;
    private final String adminToken;
    private final Optional<KubernetesCatalog> kubernetes;
    private boolean closed;

    private Gateway(Server server, MaasEngine engine, OpenedStores store, URI baseUri, Optional<String> demoKey,
                    String adminToken, Optional<KubernetesCatalog> kubernetes) {
        this.server = server;
        this.engine = engine;
        this.store = store;
        this.baseUri = baseUri;
        this.demoKey = demoKey;
        this.adminToken = adminToken;
        this.kubernetes = kubernetes;
    }

    /**
     * Sets the JVM-wide defaults the gateway runs best with, each only where the command line did not
     * set it. They take effect only before the first HTTP client and the common pool are created, so
     * {@link #main} calls this first; an application that embeds the gateway calls it at its start.
     * <ul>
     *   <li>{@code java.util.concurrent.ForkJoinPool.common.parallelism=2} on 2 CPUs or fewer:
     *       {@code java.net.http} completes every exchange on the common pool, and with parallelism 1
     *       {@code CompletableFuture} starts a new thread per task instead;</li>
     *   <li>{@code jdk.httpclient.keepalive.timeout=30} (seconds, instead of 20 minutes): the client
     *       keeps every connection a burst opened for that long, and walks the list of idle ones on
     *       each request it finishes.</li>
     * </ul>
     */
    public static void applyRuntimeDefaults() {
        if (Runtime.getRuntime().availableProcessors() <= 2) {
            setIfAbsent("java.util.concurrent.ForkJoinPool.common.parallelism", "2");
        }
        setIfAbsent("jdk.httpclient.keepalive.timeout", "30");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Starts the gateway from {@code args[0]} or {@code MAAS_CONFIG}, and runs until the JVM is stopped. */
    public static void main(String[] args) throws Exception {
        applyRuntimeDefaults();
        Gateway gateway;
        try {
            Optional<Path> path = args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty();
            gateway = start(GatewayConfig.load(path, System.getenv()), System.out);
        } catch (IllegalArgumentException e) {
            // a wrong setting (a ConfigException, or a value the outside world refused at start) is
            // one line naming it; a stack trace would bury that line
            System.err.println("maas4j gateway: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "maas-gateway-shutdown"));
        stopped.await();
    }

    /**
     * Builds the engine and the catalog from {@code config}, starts Jetty, and prints the bootstrap
     * credentials to {@code console} (once: they are not logged).
     *
     * <p>{@code config} was validated whole when it was loaded; what can still fail here is the
     * outside world (a port in use, a database or a cluster that cannot be reached).
     */
    public static Gateway start(GatewayConfig config, PrintStream console) throws Exception {
        OpenedStores store = OpenedStores.open(config.store(), config.users());
        // with a kubernetes section the catalog is Open Data Hub's custom resources; keys and usage stay here
        Optional<KubernetesCatalog> kubernetes;
        try {
            kubernetes = config.kubernetes().map(KubernetesCatalog::open);
        } catch (Exception | Error e) {
            store.close();
            throw e;
        }
        try {
            return start(config, console, store, kubernetes);
        } catch (Exception | Error e) {
            kubernetes.ifPresent(KubernetesCatalog::close);
            store.close();
            throw e;
        }
    }

    private static Gateway start(GatewayConfig config, PrintStream console, OpenedStores store,
                                 Optional<KubernetesCatalog> kubernetes) throws Exception {
        StoreBundle stores = kubernetes.map(k -> store.bundle().withCatalog(k.store())).orElse(store.bundle());
        MaasEngine.Builder builder = MaasEngine.builder()
                .stores(stores)
                .failureMode(config.store().failureMode())
                .reservationStrategy(config.engine().reservationStrategy())
                .defaultMaxOutputTokens(config.engine().defaultMaxOutputTokens())
                .expectedOutputTokens(config.engine().expectedOutputTokens())
                .budgets(budgets(config.budgets()))
                .cutRevokedRequests(config.engine().cutRevokedRequests())
                .usageBoundPromptFactor(config.engine().usageBound().promptFactor())
                .usageBoundPromptSlack(config.engine().usageBound().promptSlack())
                .usageBoundCompletionCeiling(config.engine().usageBound().completionCeiling());
        config.engine().serverSecret().ifPresent(builder::serverSecret);
        config.engine().maxKeyLifetime().ifPresent(builder::maxKeyLifetime);
        boolean demo = config.demo().enabled() && kubernetes.isEmpty();
        if (demo) {
            publishDemo(store.bundle().catalog());
        }
        publishCatalog(store.bundle().catalog(), config);
        MaasEngine engine = builder.build();
        try {
            return startServer(config, store, engine, console, demo, kubernetes);
        } catch (Exception | Error e) {
            engine.close();
            throw e;
        }
    }

    private static Gateway startServer(GatewayConfig config, OpenedStores store, MaasEngine engine,
                                       PrintStream console, boolean demo,
                                       Optional<KubernetesCatalog> kubernetes) throws Exception {
        JettyServer jetty = JettyServer.create(config.server());
        String adminToken = config.admin().token().map(Secret::reveal).orElseGet(Gateway::generateToken);
        jetty.server().setHandler(GatewayRoutes.handlers(config, engine, store.bundle().audit(), adminToken));
        jetty.server().start();

        URI base = jetty.baseUri(config.server().host());
        Optional<String> demoKey = Optional.empty();
        if (demo && config.demo().printKey()) {
            CreatedKey created = engine.createKey(KeyRequest.builder(Subject.user("demo"), "demo key")
                    .description("created at start for the demo model").build());
            demoKey = Optional.of(created.secret().reveal());
        }
        Gateway gateway = new Gateway(jetty.server(), engine, store, base, demoKey, adminToken, kubernetes);
        gateway.announce(console, config.admin().token().isEmpty());
        return gateway;
    }

    private void announce(PrintStream console, boolean generatedAdminToken) {
        StringBuilder out = new StringBuilder();
        out.append("maas4j gateway listening on ").append(baseUri).append('\n');
        out.append("  OpenAI-compatible API: ").append(baseUri).append("/v1   (GET /v1/models, POST /v1/chat/completions)\n");
        out.append("  management API:        ").append(baseUri).append("/maas-api/v1\n");
        if (generatedAdminToken) {
            out.append("==== BOOTSTRAP ADMIN TOKEN (shown once; set MAAS_ADMIN_TOKEN to choose your own) ====\n");
            out.append(adminToken).append('\n');
        }
        demoKey.ifPresent(key -> {
            out.append("==== DEMO API KEY for model '").append(DemoModelServlet.NAME)
                    .append("' (shown once; demo.printKey: false to disable) ====\n");
            out.append(key).append('\n');
        });
        console.print(out);
        console.flush();
    }

    /** The base URI, e.g. {@code http://127.0.0.1:8080}. */
    public URI baseUri() {
        return baseUri;
    }

    /** The engine. */
    public MaasEngine engine() {
        return engine;
    }

    /** The ledger holding usage: the configured store's ({@code store.type}). */
    public UsageLedger store() {
        return store.bundle().ledger();
    }

    /** The demo API key created at start, if the demo is on and printing it is enabled. */
    public Optional<Secret> demoKey() {
        return demoKey.map(Secret::of);
    }

    /** The management API's bootstrap administrator token. */
    public Secret adminToken() {
        return Secret.of(adminToken);
    }

    /** Stops Jetty (letting requests in flight finish, up to 10 seconds) and flushes usage. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("stopping Jetty failed: {}", e.toString());
        } finally {
            engine.close();
            kubernetes.ifPresent(KubernetesCatalog::close);
            store.close();
            log.info("maas4j gateway stopped; usage flushed");
        }
    }

    // ------------------------------------------------------------------ catalog

    private static void publishDemo(CatalogStore store) {
        store.putModel(ModelRef.builder(DemoModelServlet.NAME).displayName("Demo echo model (built in, not a real model)")
                .price(ModelPrice.usd("0.50", "1.50")).metadata(Map.of("demo", "true")).build());
        store.putPolicy(AuthPolicy.of("demo-everyone", SubjectSet.groups(GatewayConfig.ALL_USERS_GROUP),
                DemoModelServlet.NAME));
        store.putSubscription(Subscription.builder("demo").owner(SubjectSet.groups(GatewayConfig.ALL_USERS_GROUP))
                .model(new SubscriptionModel(DemoModelServlet.NAME, ModelRef.DEFAULT_NAMESPACE,
                        List.of(RateLimit.of(100_000, "1m")), List.of(RateLimit.of(60, "1m")), Optional.empty()))
                .build());
    }

    /** The file's catalog, validated at load: written into the store at every start (the file wins). */
    private static void publishCatalog(CatalogStore store, GatewayConfig config) {
        config.models().forEach(store::putModel);
        config.policies().forEach(store::putPolicy);
        config.subscriptions().forEach(store::putSubscription);
    }

    private static Budgets budgets(GatewayConfig.Budgets config) {
        return new Budgets(config.users(), config.groups(), config.defaultUser());
    }

    private static String generateToken() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return "maas-admin-" + java.util.HexFormat.of().formatHex(random);
    }
}
