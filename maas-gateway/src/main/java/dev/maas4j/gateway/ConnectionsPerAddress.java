package dev.maas4j.gateway;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Bounds the connections one client address holds open on a connector: a connection beyond the
 * bound is closed as soon as it opens, before a byte of it is read. Together with the filter's bound
 * on bodies in flight per address, one address cannot take the server's connections or threads,
 * while clients at other addresses are served as usual. Add it to a connector with
 * {@code connector.addBean(new ConnectionsPerAddress(512))}.
 *
 * <p>Thread-safe; per-address counts live in a concurrent map without a global lock, and an
 * address with no open connection has no entry.
 */
final class ConnectionsPerAddress implements Connection.Listener {
    private static final BiFunction<String, Integer, Integer> INCREMENT = (address, n) -> n == null ? 1 : n + 1;
    private static final BiFunction<String, Integer, Integer> DECREMENT = (address, n) -> n == null || n <= 1 ? null
            : n - 1;

    private final int limit;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    /** @param limit the most connections one address may hold open */
    ConnectionsPerAddress(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        this.limit = limit;
    }

    @Override
    public void onOpened(Connection connection) {
        String address = address(connection.getEndPoint());
        if (address != null && open.compute(address, INCREMENT) > limit) {
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        String address = address(connection.getEndPoint());
        if (address != null) {
            open.compute(address, DECREMENT);
        }
    }

    /** Connections open from {@code address} (for tests). */
    int openFrom(String address) {
        Integer n = open.get(address);
        return n == null ? 0 : n;
    }

    private static String address(EndPoint endPoint) {
        SocketAddress remote = endPoint.getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }
}
