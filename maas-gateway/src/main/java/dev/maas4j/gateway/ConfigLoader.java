package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas4j.management.CatalogDocuments;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@link GatewayConfig}: the YAML file as a tree, the environment's overrides written into
 * it, the tree laid over the defaults file ({@link ConfigTree}), then every setting read into the
 * typed records ({@link ConfigRecords}) and the catalog read by the management API's
 * {@link CatalogDocuments} ({@link ConfigCatalog}), with the references between its entries
 * checked. Each step fails with a one-line {@link ConfigException}. Stateless.
 */
final class ConfigLoader {
    private ConfigLoader() {
    }

    static GatewayConfig load(Optional<Path> path, Map<String, String> env) {
        if (path.isEmpty()) {
            return parse("", "configuration", env);
        }
        String text;
        try {
            text = Files.readString(path.get(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path.get() + ": no such file");
        } catch (MalformedInputException e) {
            throw new ConfigException(path.get() + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(path.get() + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return parse(text, path.get().toString(), env);
    }

    static GatewayConfig parse(String yaml, String source, Map<String, String> env) {
        ObjectNode file = ConfigTree.read(yaml, source);
        Map<String, String> fromEnvironment = new LinkedHashMap<>();
        ConfigTree.override(file, env, fromEnvironment);
        ObjectNode merged = ConfigTree.overDefaults(file);
        if (!file.has("kubernetes")) {
            // its defaults apply only to a Kubernetes catalog that was asked for
            merged.remove("kubernetes");
        }
        // the file or MAAS_STORE chose the store's type; else a PostgreSQL URL chooses postgresql
        boolean typeChosen = !file.path("store").path("type").isMissingNode();
        return bind(merged, typeChosen, new ConfigSection.Origins(fromEnvironment), env);
    }

    /** The sections in a fixed order: the first wrong setting is the one reported. */
    private static GatewayConfig bind(ObjectNode merged, boolean storeTypeChosen, ConfigSection.Origins origins,
                                      Map<String, String> env) {
        ConfigSection root = new ConfigSection(merged, "", origins);
        GatewayConfig.Server server = ConfigRecords.server(root.section("server"));
        GatewayConfig.Upstream upstream = ConfigRecords.upstream(root.section("upstream"));
        GatewayConfig.Engine engine = ConfigRecords.engine(root.section("engine"), env);
        GatewayConfig.Admin admin = ConfigRecords.admin(root.section("admin"), env);
        GatewayConfig.Demo demo = ConfigRecords.demo(root.section("demo"));
        Optional<GatewayConfig.Kubernetes> kubernetes = root.present("kubernetes")
                ? Optional.of(ConfigRecords.kubernetes(root.section("kubernetes"))) : Optional.empty();
        GatewayConfig.Store store = ConfigRecords.store(root.section("store"), storeTypeChosen, env);
        Map<String, Set<String>> users = ConfigRecords.users(root.raw("users"));
        GatewayConfig.Budgets budgets = ConfigRecords.budgets(root.section("budgets"));
        GatewayConfig.Identity identity = ConfigRecords.identity(root.section("identity"));

        boolean demoServed = demo.enabled() && kubernetes.isEmpty();
        ConfigCatalog catalog = ConfigCatalog.read(root, demoServed, env);
        root.end();
        if (kubernetes.isPresent() && !catalog.isEmpty()) {
            // two sources of one catalog would disagree silently: refuse rather than merge
            throw new ConfigException("kubernetes: the catalog comes from the MaaS custom resources; remove "
                    + "models, subscriptions and policies from the configuration file");
        }
        return new GatewayConfig(server, upstream, engine, admin, demo, catalog.models(), catalog.policies(),
                catalog.subscriptions(), users, budgets, kubernetes, store, identity);
    }
}
