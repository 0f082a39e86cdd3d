package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The calendar period of a budget: {@code day}, {@code week} or {@code month} on the wire. */
public enum BudgetPeriod {
    /** Midnight to midnight. */
    DAY,
    /** Monday to Monday (ISO weeks). */
    WEEK,
    /** First of the month to first of the next. */
    MONTH;

    /** The wire value. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire value, ignoring case. */
    @JsonCreator
    public static BudgetPeriod parse(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
