package dev.maas4j.api;

import java.util.Objects;

/**
 * A principal that can own an {@link ApiKey}: a user, a group or a service account.
 *
 * @param type the kind of principal
 * @param name the principal's name, never blank
 */
public record Subject(SubjectType type, String name) {

    /** Validates the components. */
    public Subject {
        Objects.requireNonNull(type, "type");
        name = Checks.notBlank(name, "name");
    }

    /** A user subject. */
    public static Subject user(String name) {
        return new Subject(SubjectType.USER, name);
    }

    /** A group subject. */
    public static Subject group(String name) {
        return new Subject(SubjectType.GROUP, name);
    }

    /** A service-account subject. */
    public static Subject serviceAccount(String name) {
        return new Subject(SubjectType.SERVICE_ACCOUNT, name);
    }
}
