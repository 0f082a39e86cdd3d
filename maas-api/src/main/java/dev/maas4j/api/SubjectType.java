package dev.maas4j.api;

/** What kind of principal owns an {@link ApiKey}. */
public enum SubjectType {
    /** A human user. */
    USER,
    /** A group: every member acts through the key with the group's grants. */
    GROUP,
    /** A non-human workload identity. */
    SERVICE_ACCOUNT
}
