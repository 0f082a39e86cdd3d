package dev.maas4j.servlet.internal;

import dev.maas4j.api.Ticker;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every {@link UpstreamRelay} of one proxy shares: its HTTP client, its timeouts and the
 * endpoints' health.
 *
 * @param client          sends the requests upstream
 * @param responseTimeout the longest wait for the upstream's response headers
 * @param idleTimeout     the longest wait for more of a response body once it started
 * @param idleTimer       runs the idle checks; empty when there is no idle timeout
 * @param ticker          what the idle timeout is measured on (the idle timer's clock)
 * @param endpoints       round-robin order and refused-connection back-off
 * @param identityHeaders whether the verified caller is sent upstream in {@code X-MaaS-*} headers
 * @param responseLimits  the longest and largest response relayed, unless a model sets its own
 */
public record RelaySettings(HttpClient client, Duration responseTimeout, Duration idleTimeout,
                            Optional<ScheduledExecutorService> idleTimer, Ticker ticker, Endpoints endpoints,
                            boolean identityHeaders, ResponseLimits responseLimits) {
    public RelaySettings {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(idleTimer, "idleTimer");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(responseLimits, "responseLimits");
    }
}
