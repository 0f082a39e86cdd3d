package dev.maas4j.api;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The assets an {@link ApiKey} may reach, narrowing what its owner may reach.
 *
 * <p>Per kind: a scope that names no asset of a kind leaves that kind unrestricted ("whatever the
 * owner may call"); a scope that names some assets of a kind allows only those. A scope never
 * widens the owner's grants: authorization still needs an {@link AuthPolicy}.
 *
 * @param assets the assets named, possibly empty
 */
public record KeyScope(Set<AssetRef> assets) {

    /** The scope that restricts nothing. */
    public static final KeyScope UNRESTRICTED = new KeyScope(Set.of());

    /** Validates and copies the components. */
    public KeyScope {
        assets = Checks.set(assets, "assets");
    }

    /** A scope restricted to the given models. */
    public static KeyScope models(String... models) {
        return models(Arrays.asList(models));
    }

    /** A scope restricted to the given models; an empty collection restricts nothing. */
    public static KeyScope models(Collection<String> models) {
        return new KeyScope(models.stream().map(AssetRef::model).collect(Collectors.toSet()));
    }

    /** Whether the scope allows the asset of the given kind and name. */
    public boolean allows(AssetKind kind, String name) {
        if (assets.isEmpty()) {
            return true;
        }
        boolean kindNamed = false;
        for (AssetRef asset : assets) {
            if (asset.kind() == kind) {
                if (asset.name().equals(name)) {
                    return true;
                }
                kindNamed = true;
            }
        }
        return !kindNamed;
    }

    /** Whether the scope allows the named model. */
    public boolean allowsModel(String model) {
        return allows(AssetKind.MODEL, model);
    }

    /** The model names this scope lists; empty when models are unrestricted. */
    public Set<String> models() {
        return assets.stream().filter(a -> a.kind() == AssetKind.MODEL).map(AssetRef::name)
                .collect(Collectors.toUnmodifiableSet());
    }
}
