package dev.maas4j.gateway;

import dev.maas4j.api.AuditLog;
import dev.maas4j.api.Grant;
import dev.maas4j.core.AuthFailureThrottle;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.usage.MediaEstimates;
import dev.maas4j.management.ManagementServlet;
import dev.maas4j.servlet.MaasFilter;
import dev.maas4j.servlet.MaasProxyServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * The gateway's routes, as Jetty contexts: the management API under {@code /maas-api/v1}
 * (authenticating the callers {@code IdentitySources} lists), {@code /healthz}, and every other path governed by
 * {@link MaasFilter} and answered by the proxy or, for the demo model, in process. Both APIs share
 * one allowance of failed authentications per client address. Stateless.
 */
final class GatewayRoutes {
    private GatewayRoutes() {
    }

    /** The contexts, the management API's first. */
    static ContextHandlerCollection handlers(GatewayConfig config, MaasEngine engine, AuditLog audit,
                                             String adminToken) {
        MaasProxyServlet.Builder proxy = MaasProxyServlet.builder()
                .connectTimeout(config.upstream().connectTimeout())
                .responseTimeout(config.upstream().responseTimeout())
                .idleTimeout(config.upstream().idleTimeout())
                .identityHeaders(config.upstream().identityHeaders())
                .maxResponseDuration(config.upstream().maxResponseDuration())
                .maxResponseBytes(config.upstream().maxResponseBytes());
        if (config.upstream().http2()) {
            proxy.httpVersion(HttpClient.Version.HTTP_2);
        }
        ServletContextHandler models = new ServletContextHandler("/");
        ServletHolder dispatch = new ServletHolder("models", new ModelDispatchServlet(proxy.build(),
                new DemoModelServlet(config.demo().tokenDelay())));
        dispatch.setAsyncSupported(true);
        models.addServlet(dispatch, "/*");
        // one allowance of failed authentications per client address across both APIs
        AuthFailureThrottle authFailures = AuthFailureThrottle.builder()
                .maxFailures(config.server().maxAuthFailures())
                .window(config.server().authFailureWindow())
                .timeSource(engine.timeSource()).meterRegistry(engine.meterRegistry()).build();
        GatewayConfig.MediaTokens media = config.engine().mediaTokens();
        FilterHolder filter = new FilterHolder(MaasFilter.builder(engine)
                .maxBodyBytes(config.server().maxBodyBytes())
                .bodyTimeout(config.server().bodyTimeout())
                .minBodyBytesPerSecond(config.server().minBodyBytesPerSecond())
                .maxConcurrentBodiesPerAddress(config.server().maxConcurrentBodiesPerAddress())
                .mediaEstimates(new MediaEstimates(media.image(), media.audio(), media.file()))
                .authFailureThrottle(authFailures)
                .includeUsageInStreams(config.server().includeUsageInStreams())
                .build());
        filter.setAsyncSupported(true);
        models.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));

        ServletContextHandler health = new ServletContextHandler("/healthz");
        health.addServlet(new ServletHolder(new HealthServlet()), "/*");

        // the management API's callers: the bootstrap admin's token and the identity section's sources
        // (IdentitySources lists them in order); API keys are refused there
        ServletContextHandler management = new ServletContextHandler("/maas-api");
        ManagementServlet.Builder api = ManagementServlet.builder(engine)
                .identityResolver(IdentitySources.resolver(config, adminToken, engine.timeSource()))
                .authFailureThrottle(authFailures)
                .auditLog(audit);
        // the management API creates the keys: the longest life of one is its setting too
        config.engine().maxKeyLifetime().ifPresent(api::maxKeyLifetime);
        if (config.engine().maxActiveKeysPerSubscription() > 0) {
            api.maxActiveKeysPerSubscription(config.engine().maxActiveKeysPerSubscription());
        }
        management.addServlet(new ServletHolder("management", api.build()), "/v1/*");
        return new ContextHandlerCollection(management, health, models);
    }

    /** Sends the demo model's requests to the in-process demo, all others to the proxy. */
    static final class ModelDispatchServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient MaasProxyServlet proxy;
        private final transient DemoModelServlet demo;

        ModelDispatchServlet(MaasProxyServlet proxy, DemoModelServlet demo) {
            this.proxy = proxy;
            this.demo = demo;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException,
                jakarta.servlet.ServletException {
            Object grant = request.getAttribute(MaasFilter.GRANT_ATTRIBUTE);
            if (grant instanceof Grant g && g.model().name().equals(DemoModelServlet.NAME)
                    && g.model().endpoints().isEmpty()) {
                demo.service(request, response);
            } else {
                proxy.service(request, response);
            }
        }

        @Override
        public void destroy() {
            proxy.destroy();
        }
    }

    /** {@code GET /healthz}: 200 while the server runs. */
    static final class HealthServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getOutputStream().write("ok\n".getBytes(StandardCharsets.UTF_8));
        }
    }
}
