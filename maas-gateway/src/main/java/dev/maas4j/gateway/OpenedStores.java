package dev.maas4j.gateway;

import dev.maas4j.api.Identity;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.SubjectType;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.core.StoreBundle;
import dev.maas4j.store.jdbc.JdbcLimitBackend;
import dev.maas4j.store.jdbc.JdbcStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stores the gateway runs on, as {@code store.type} says, as one {@link StoreBundle}: an H2
 * file in {@code store.dataDir} (the default: keys, catalog, usage and the audit trail survive a
 * restart), PostgreSQL (replicas share keys, catalog, usage and limits), or memory. Users' groups
 * come from the configuration; every user is also in {@value GatewayConfig#ALL_USERS_GROUP}.
 *
 * @param bundle what the engine and the management API run on
 * @param jdbc   the database store, to close, if there is one
 * @param limits the shared limits, to close, if there are
 */
record OpenedStores(StoreBundle bundle, Optional<JdbcStore> jdbc, Optional<JdbcLimitBackend> limits)
        implements AutoCloseable {

    static OpenedStores open(GatewayConfig.Store config, Map<String, Set<String>> users) {
        InMemoryStore groups = new InMemoryStore();
        users.forEach((user, userGroups) -> groups.setGroups(user, Set.copyOf(userGroups)));
        IdentityDirectory identities = withAllUsersGroup(groups);
        if (config.type() == GatewayConfig.StoreType.MEMORY) {
            return new OpenedStores(groups.bundle().withIdentities(identities), Optional.empty(), Optional.empty());
        }
        String url = config.url().orElseGet(() -> {
            // the configuration was checked at load: postgresql has a URL, so this is h2
            Path dir = config.dataDir().toAbsolutePath();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("store.dataDir " + dir + " cannot be created", e);
            }
            return "jdbc:h2:file:" + dir.resolve("maas");
        });
        JdbcStore.Builder builder = JdbcStore.builder(url);
        config.username().ifPresent(builder::username);
        config.password().ifPresent(builder::password);
        config.retention().ifPresent(builder::retention);
        JdbcStore store = builder.build();
        StoreBundle bundle = store.bundle().withIdentities(identities);
        // limits are shared through the database only where replicas can share it; one H2 file has one process
        if (config.type() == GatewayConfig.StoreType.POSTGRESQL) {
            JdbcLimitBackend limits = JdbcLimitBackend.builder(store).timeSource(TimeSource.system()).build();
            return new OpenedStores(bundle.withLimits(limits), Optional.of(store), Optional.of(limits));
        }
        return new OpenedStores(bundle, Optional.of(store), Optional.empty());
    }

    /** Every user and service account is also in {@value GatewayConfig#ALL_USERS_GROUP}, as in Kubernetes. */
    private static IdentityDirectory withAllUsersGroup(IdentityDirectory directory) {
        return owner -> {
            Identity identity = directory.identityOf(owner);
            if (owner.type() == SubjectType.GROUP || identity.groups().contains(GatewayConfig.ALL_USERS_GROUP)) {
                return identity;
            }
            Set<String> groups = new HashSet<>(identity.groups());
            groups.add(GatewayConfig.ALL_USERS_GROUP);
            return new Identity(identity.user(), groups);
        };
    }

    @Override
    public void close() {
        limits.ifPresent(JdbcLimitBackend::close);
        jdbc.ifPresent(JdbcStore::close);
    }
}
