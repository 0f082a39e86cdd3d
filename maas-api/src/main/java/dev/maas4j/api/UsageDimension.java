package dev.maas4j.api;

/** A dimension usage can be filtered or broken down by. */
public enum UsageDimension {
    /** The API key id. */
    KEY,
    /** The user. */
    USER,
    /** A group of the user (an event counts once for each of its groups). */
    GROUP,
    /** The model. */
    MODEL,
    /** The subscription. */
    SUBSCRIPTION;

    /** Whether {@code event} has {@code value} in this dimension. */
    public boolean matches(UsageEvent event, String value) {
        return switch (this) {
            case KEY -> event.keyId().equals(value);
            case USER -> event.user().equals(value);
            case GROUP -> event.groups().contains(value);
            case MODEL -> event.model().equals(value);
            case SUBSCRIPTION -> event.subscription().equals(value);
        };
    }
}
