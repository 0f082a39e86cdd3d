package dev.maas4j.gateway;

/**
 * The environment variables that override the configuration file, each the setting at
 * {@link #path()}: the one table of them. A variable's value is read as the setting's would be in
 * the file (a number, {@code true}/{@code false}, a duration, an enum's name), and an error names
 * both, e.g. {@code MAAS_PORT=abc: server.port must be a number from 0 to 65535}.
 *
 * <p>Two more variables are not settings: {@code MAAS_CONFIG} names the file (when no argument
 * does), and {@code MAAS_LOG_LEVEL} sets the log levels (read by
 * {@link dev.maas4j.gateway.logging.GatewayLogConfigurator} before the configuration is).
 */
public enum EnvironmentOverride {
    /** The address to listen on. */
    MAAS_HOST("server.host"),
    /** The port (0 picks a free one). */
    MAAS_PORT("server.port"),
    /** The largest request body, in bytes. */
    MAAS_MAX_BODY_BYTES("server.maxBodyBytes"),
    /** {@code false} leaves the demo model out. */
    MAAS_DEMO("demo.enabled"),
    /** The management API's admin token. */
    MAAS_ADMIN_TOKEN("admin.token"),
    /** The HMAC secret for key hashes. */
    MAAS_SERVER_SECRET("engine.serverSecret"),
    /** {@code WORST_CASE}, {@code EXPECTED} or {@code POST_PAID}. */
    MAAS_RESERVATION_STRATEGY("engine.reservationStrategy"),
    /** Comma-separated namespaces; turns the Kubernetes catalog on. */
    MAAS_K8S_NAMESPACES("kubernetes.namespaces"),
    /** {@code h2}, {@code postgresql} or {@code memory}. */
    MAAS_STORE("store.type"),
    /** The directory of the H2 file. */
    MAAS_DATA_DIR("store.dataDir"),
    /** The JDBC URL; a PostgreSQL one selects {@code postgresql} unless {@code store.type} is set. */
    MAAS_DB_URL("store.url"),
    /** The database user. */
    MAAS_DB_USER("store.username"),
    /** The database password. */
    MAAS_DB_PASSWORD("store.password");

    /** The name of the environment variable that holds the file's path. */
    public static final String CONFIG_FILE = "MAAS_CONFIG";

    private final String path;

    EnvironmentOverride(String path) {
        this.path = path;
    }

    /** The variable's name, e.g. {@code MAAS_PORT}. */
    public String variable() {
        return name();
    }

    /** The setting it overrides, e.g. {@code server.port}. */
    public String path() {
        return path;
    }
}
