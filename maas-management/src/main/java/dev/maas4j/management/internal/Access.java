package dev.maas4j.management.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Subject;
import dev.maas4j.management.Caller;

/**
 * Who may see and change what. A key is visible to its owner and to readers of everything; it can
 * be changed by an admin, or by its owner when the owner may manage their own keys. A key that is
 * not visible is answered with 404, exactly as a key that does not exist, so that ids cannot be
 * probed. Stateless.
 */
final class Access {
    private Access() {
    }

    /** The subject the caller's own keys are owned by. */
    static Subject self(Caller caller) {
        return Subject.user(caller.user());
    }

    static boolean owns(Caller caller, ApiKey key) {
        return key.owner().equals(self(caller));
    }

    static boolean visible(Caller caller, ApiKey key) {
        return caller.canReadAll() || owns(caller, key);
    }

    static boolean changeable(Caller caller, ApiKey key) {
        return caller.isAdmin() || (owns(caller, key) && caller.canManageOwnKeys());
    }

    /** 403 unless the caller reads everything. */
    static void requireReadAll(Caller caller, String what) {
        if (!caller.canReadAll()) {
            throw ApiException.forbidden(what + " requires the admin or adminReadonly role");
        }
    }

    /** 403 unless the caller is an admin. */
    static void requireAdmin(Caller caller, String what) {
        if (!caller.isAdmin()) {
            throw ApiException.forbidden(what + " requires the admin role");
        }
    }
}
