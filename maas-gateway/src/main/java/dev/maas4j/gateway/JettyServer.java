package dev.maas4j.gateway;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;

/**
 * The gateway's Jetty server and its one HTTP connector, as {@code server:} configures them: the
 * address, the accept queue, the idle timeout, the connections per client address, and answers
 * that do not name the server. Configured and started on one thread; Jetty's server is thread-safe
 * once started.
 *
 * @param server    the server, to give handlers and start
 * @param connector its connector
 */
record JettyServer(Server server, ServerConnector connector) {

    /** A server configured by {@code config}, with a stop timeout of 10 seconds for requests in flight. */
    static JettyServer create(GatewayConfig.Server config) {
        Server server = new Server();
        server.setStopTimeout(10_000);
        // no Server: Jetty(12.x) nor X-Powered-By on any answer (nor "Powered by Jetty" on Jetty's own
        // error pages): a server's name and version tell a scanner which advisories to try
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        // the JDK's default backlog is 50: a burst of new client connections overflows it, and a
        // dropped connection attempt costs its client a one-second retransmission
        connector.setAcceptQueueSize(config.acceptQueueSize());
        // what a connection that sends nothing (a declared body that never comes, say) can hold
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        if (config.maxConnectionsPerAddress() > 0) {
            connector.addBean(new ConnectionsPerAddress(config.maxConnectionsPerAddress()));
        }
        server.addConnector(connector);
        return new JettyServer(server, connector);
    }

    /** Where a client on this machine reaches the started server, e.g. {@code http://127.0.0.1:8080}. */
    URI baseUri(String host) {
        String local = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return URI.create("http://" + (local.contains(":") ? "[" + local + "]" : local) + ":"
                + connector.getLocalPort());
    }
}
