package dev.maas4j.client.admin;

import java.util.List;

/**
 * Create, read, update and delete of one kind of catalog resource ({@code /models},
 * {@code /subscriptions}, {@code /policies}), addressed by name. Administrators only.
 * Thread-safe; every call throws a {@link dev.maas4j.client.MaasClientException} on failure.
 *
 * @param <T> the resource type
 */
public interface CatalogResource<T> {

    /** All resources of this kind ({@code GET /<kind>}). */
    List<T> list();

    /** One resource ({@code GET /<kind>/{name}}); {@link dev.maas4j.client.NotFoundException} if unknown. */
    T get(String name);

    /** Creates a resource ({@code POST /<kind>}); {@link dev.maas4j.client.ConflictException} if the name is taken. */
    T create(T resource);

    /** Replaces a resource by its name ({@code PUT /<kind>/{name}}). */
    T update(T resource);

    /** Deletes a resource ({@code DELETE /<kind>/{name}}); {@link dev.maas4j.client.NotFoundException} if unknown. */
    void delete(String name);
}
