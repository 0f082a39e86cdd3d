package dev.maas4j.api;

/** How an admitted request ended. */
public enum Outcome {
    /** The upstream answered. */
    SUCCESS,
    /** The upstream failed before producing output (5xx, timeout, refused): nothing is charged. */
    UPSTREAM_ERROR,
    /** The client went away mid-response: the estimated usage is charged. */
    CLIENT_ABORTED,
    /** The host application released the request without settling it: the estimate is charged. */
    ABANDONED
}
