package dev.maas4j.gateway;

import dev.maas4j.core.AddressCounts;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the connections one client address holds open on a connector: a connection beyond the
 * bound is closed as it opens, before a byte of it is read. Together with the filter's
 * bound on bodies in flight per address, one address cannot take the server's connections or
 * threads, while clients at other addresses are served as usual. Add it to a connector with
 * {@code connector.addBean(new ConnectionsPerAddress(512))}.
 *
 * <p>Connections are counted as they open and given back as they close, so at most {@code limit}
 * are open at once; of several opened at the same moment, whichever opens last is the one closed.
 * Thread-safe;
 * per-address counts live in a concurrent map without a global lock, and an address with no open
 * connection has no entry.
 */
final class ConnectionsPerAddress implements Connection.Listener {
    private final int limit;
    private final AddressCounts open = new AddressCounts();
    /**
     * Each open connection's address, as read when it opened: a closed endpoint no longer knows
     * its remote address, and a connection not given back would count against its address forever.
     */
    private final ConcurrentHashMap<Connection, String> addresses = new ConcurrentHashMap<>();

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
        if (address != null) {
            addresses.put(connection, address);
            // counted as it opens, whether it stays or not: its close gives it back either way
            if (open.acquire(address) > limit) {
                connection.getEndPoint().close();
            }
        }
    }

    @Override
    public void onClosed(Connection connection) {
        String address = addresses.remove(connection);
        if (address != null) {
            open.release(address);
        }
    }

    /** Connections open from {@code address} (for tests). */
    int openFrom(String address) {
        return open.held(address);
    }

    private static String address(EndPoint endPoint) {
        return address(endPoint.getRemoteSocketAddress());
    }

    private static String address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }
}
