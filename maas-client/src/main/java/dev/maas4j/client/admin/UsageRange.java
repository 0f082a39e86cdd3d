package dev.maas4j.client.admin;

/** The periods a key's usage can be asked for, ending now. */
public enum UsageRange {
    /** The last 24 hours, in hourly buckets. */
    LAST_24_HOURS("24h"),
    /** The last 7 days, in daily buckets. */
    LAST_7_DAYS("7d"),
    /** The last 30 days, in daily buckets. */
    LAST_30_DAYS("30d");

    private final String wire;

    UsageRange(String wire) {
        this.wire = wire;
    }

    /** The {@code range} query value: {@code 24h}, {@code 7d} or {@code 30d}. */
    public String wire() {
        return wire;
    }
}
