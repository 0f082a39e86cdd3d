package dev.maas4j.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.ManualTimeSource;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.InMemoryAuditLog;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.core.Lease;
import dev.maas4j.core.MaasEngine;
import jakarta.servlet.Filter;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A management API on embedded Jetty over loopback, with a small catalog and one bearer token per
 * role:
 * <ul>
 *   <li>models {@code granite} (0.15 / 0.60 USD per million) and {@code llama} (unpriced);</li>
 *   <li>alice in groups {@code dev} and {@code "=team,x"} (an awkward name for the CSV); bob in {@code dev};</li>
 *   <li>policy {@code dev-access} grants {@code dev} both models; subscriptions {@code free} (dev and viewer, priority 0,
 *       granite and llama) and {@code premium} (alice only, priority 10, granite);</li>
 *   <li>tokens: {@link #ALICE}, {@link #BOB} (users), {@link #ADMIN}, {@link #AUDITOR} (adminReadonly only),
 *       {@link #VIEWER} (user and adminReadonly).</li>
 * </ul>
 */
final class ManagementFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-03-02T10:30:00Z");
    static final String ALICE = "alice-token-0123456789";
    static final String BOB = "bob-token-0123456789ab";
    static final String ADMIN = "admin-token-0123456789";
    static final String AUDITOR = "auditor-token-01234567";
    static final String VIEWER = "viewer-token-012345678";
    static final ObjectMapper JSON = new ObjectMapper();

    final ManualTimeSource time = new ManualTimeSource(START);
    final InMemoryStore store = new InMemoryStore();
    final InMemoryAuditLog audit = new InMemoryAuditLog(1_000);
    final MaasEngine engine;
    final Server server;
    final URI base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ManagementFixture() throws Exception {
        this(b -> {
        }, null, null);
    }

    /**
     * @param settings  extra servlet settings
     * @param resolver  the resolver, or {@code null} for the bearer tokens above
     * @param filter    a filter in front of the servlet, or {@code null}
     */
    ManagementFixture(Consumer<ManagementServlet.Builder> settings, IdentityResolver resolver, Filter filter)
            throws Exception {
        this(settings, resolver, filter, false);
    }

    /** As above; with {@code readOnlyCatalog} the engine sees the catalog through a read-only store. */
    ManagementFixture(Consumer<ManagementServlet.Builder> settings, IdentityResolver resolver, Filter filter,
                      boolean readOnlyCatalog) throws Exception {
        store.setGroups("alice", "dev", "=team,x");
        store.setGroups("bob", "dev");
        store.putModel(ModelRef.builder("granite").price(ModelPrice.usd("0.15", "0.60"))
                .endpoint("http://127.0.0.1:9/v1").build());
        store.putModel(ModelRef.builder("llama").build());
        store.putPolicy(AuthPolicy.of("dev-access", SubjectSet.groups("dev"), "granite", "llama"));
        store.putSubscription(Subscription.builder("free").owner(SubjectSet.of(Set.of("dev"), Set.of("viewer")))
                .model("granite", RateLimit.of(100_000, "1m")).model("llama").build());
        store.putSubscription(Subscription.builder("premium").priority(10).owner(SubjectSet.users("alice"))
                .model("granite", RateLimit.of(500_000, "1h")).build());
        MaasEngine.Builder engineBuilder = readOnlyCatalog
                ? MaasEngine.builder().keyStore(store).catalogStore(new ReadOnlyCatalog(store)).ledger(store)
                        .directory(store)
                : MaasEngine.builder().store(store);
        engine = engineBuilder.timeSource(time).usageFlushInterval(Duration.ofMillis(10))
                .lastUsedFlushInterval(Duration.ofMillis(20)).build();
        IdentityResolver tokens = resolver != null ? resolver : BearerTokenResolver.builder()
                .addToken(ALICE, Caller.user("alice", "dev"))
                .addToken(BOB, Caller.user("bob", "dev"))
                .addToken(ADMIN, Caller.of("root", Set.of("maas-admins"), Role.ADMIN))
                .addToken(AUDITOR, Caller.of("auditor", Set.of(), Role.ADMIN_READONLY))
                .addHashedToken(BearerTokenResolver.sha256Hex(VIEWER),
                        new Caller("viewer", Set.of(), EnumSet.of(Role.USER, Role.ADMIN_READONLY)))
                .build();
        ManagementServlet.Builder builder = ManagementServlet.builder(engine).identityResolver(tokens).auditLog(audit);
        settings.accept(builder);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        if (filter != null) {
            context.addFilter(new FilterHolder(filter), "/*", null);
        }
        context.addServlet(new ServletHolder(builder.build()), "/maas-api/v1/*");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/maas-api/v1");
    }

    /** A catalog managed elsewhere (Kubernetes resources, a file): reads only, like such stores. */
    static final class ReadOnlyCatalog implements CatalogStore {
        private final CatalogStore delegate;

        ReadOnlyCatalog(CatalogStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<ModelRef> models() {
            return delegate.models();
        }

        @Override
        public List<Subscription> subscriptions() {
            return delegate.subscriptions();
        }

        @Override
        public List<AuthPolicy> policies() {
            return delegate.policies();
        }

        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /** A response: status, headers, body text and, when JSON, the parsed body. */
    record Response(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** The error's message. */
        String message() {
            return json().path("error").path("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response get(String path, String token) throws Exception {
        return send("GET", path, token, null);
    }

    Response post(String path, String token, String body) throws Exception {
        return send("POST", path, token, body);
    }

    Response delete(String path, String token) throws Exception {
        return send("DELETE", path, token, null);
    }

    Response put(String path, String token, String body) throws Exception {
        return send("PUT", path, token, body);
    }

    Response send(String method, String path, String token, String body) throws Exception {
        return sendWith(method, path, body, token == null ? new String[0] : new String[]{"Authorization", "Bearer " + token});
    }

    Response sendWith(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers(), response.body());
    }

    /** Creates a key through the API and returns the create response. */
    JsonNode createKey(String token, String body) throws Exception {
        Response r = post("/api-keys", token, body);
        if (r.status() != 201) {
            throw new AssertionError("key creation failed: " + r);
        }
        return r.json();
    }

    /** Admits and settles one request with the key, as the request path would. */
    void use(String secret, String model, long prompt, long completion, int status) {
        try (Lease lease = engine.admit(AdmissionRequest.builder(secret, model).promptTokensEstimate(prompt)
                .maxOutputTokens(completion).build())) {
            if (!lease.allowed()) {
                throw new AssertionError("denied: " + lease.admission().denial().orElseThrow());
            }
            if (status < 400) {
                lease.complete(TokenUsage.reported(prompt, completion), status);
            } else {
                lease.fail(status);
            }
        }
    }

    void flushUsage() {
        if (!engine.usage().flush(Duration.ofSeconds(5))) {
            throw new AssertionError("usage was not flushed");
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        } finally {
            engine.close();
        }
    }
}
