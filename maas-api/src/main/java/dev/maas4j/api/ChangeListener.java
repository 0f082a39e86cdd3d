package dev.maas4j.api;

/**
 * Told by a store when something the engine caches has changed, possibly in another process
 * (another replica writing to the same database). Implementations must be fast and must not
 * throw; they may be called from any thread.
 */
public interface ChangeListener {

    /** The key with this id changed (revoked, updated, deleted). */
    void keyChanged(String keyId);

    /** Models, subscriptions or auth policies changed. */
    void catalogChanged();
}
