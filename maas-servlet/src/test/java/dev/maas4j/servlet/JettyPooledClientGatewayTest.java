package dev.maas4j.servlet;

import org.junit.jupiter.api.AfterEach;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The integration suite on Jetty with an HTTP client of the application's own, whose executor is a
 * thread pool ({@link MaasProxyServlet.Builder#httpClient}): the relay then gets the response's
 * pieces on pool threads while the container calls back on its own, instead of everything on the
 * client's selector thread.
 */
class JettyPooledClientGatewayTest extends GatewayContractTest {
    private ExecutorService pool;

    @Override
    ServletHost host() {
        return new JettyHost();
    }

    @Override
    MaasProxyServlet proxy(MaasProxyServlet.Builder builder) {
        pool = Executors.newFixedThreadPool(4);
        return builder.httpClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(pool).build())
                .build();
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }
}
