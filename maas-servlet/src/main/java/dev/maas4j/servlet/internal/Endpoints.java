package dev.maas4j.servlet.internal;

import dev.maas4j.api.Ticker;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Round-robin over a model's upstream endpoints, putting last an endpoint that recently refused
 * a connection so that one dead replica costs one failed connect per back-off period, not one per
 * request. Thread-safe, lock-free.
 */
public final class Endpoints {
    private final ConcurrentMap<String, AtomicInteger> next = new ConcurrentHashMap<>();
    private final ConcurrentMap<URI, Long> refusedUntilNanos = new ConcurrentHashMap<>();
    private final long backoffNanos;
    private final Ticker ticker;

    /** Endpoints that put one that refused a connection last for {@code backoffNanos} on {@code ticker}. */
    public Endpoints(long backoffNanos, Ticker ticker) {
        this.backoffNanos = backoffNanos;
        this.ticker = ticker;
    }

    /** The endpoints to try for one request, in order: the next in turn first, refusing ones last. */
    public List<URI> order(String model, List<URI> endpoints) {
        int n = endpoints.size();
        if (n <= 1) {
            return endpoints;
        }
        int start = Math.floorMod(next.computeIfAbsent(model, m -> new AtomicInteger()).getAndIncrement(), n);
        List<URI> healthy = new ArrayList<>(n);
        List<URI> refusing = new ArrayList<>(0);
        long now = ticker.read();
        for (int i = 0; i < n; i++) {
            URI endpoint = endpoints.get((start + i) % n);
            Long until = refusedUntilNanos.get(endpoint);
            if (until != null && until - now > 0) {
                refusing.add(endpoint);
            } else {
                healthy.add(endpoint);
            }
        }
        healthy.addAll(refusing);
        return healthy;
    }

    /** Records that {@code endpoint} refused a connection. */
    public void refused(URI endpoint) {
        refusedUntilNanos.put(endpoint, ticker.read() + backoffNanos);
    }

    /** Records that {@code endpoint} answered. */
    public void answered(URI endpoint) {
        if (!refusedUntilNanos.isEmpty()) {
            refusedUntilNanos.remove(endpoint);
        }
    }
}
