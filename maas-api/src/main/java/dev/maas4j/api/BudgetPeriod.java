package dev.maas4j.api;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

/**
 * A calendar period over which a {@link Budget} is spent. Periods reset at calendar boundaries
 * (midnight, Monday midnight, the first of the month) in a time zone chosen by the engine.
 */
public enum BudgetPeriod {
    /** From midnight to midnight. */
    DAY,
    /** From Monday midnight to the next Monday midnight (ISO weeks). */
    WEEK,
    /** From the first of the month at midnight to the first of the next month. */
    MONTH;

    /** The start of the period that contains {@code instant}, in {@code zone}. */
    public ZonedDateTime start(Instant instant, ZoneId zone) {
        LocalDate date = instant.atZone(zone).toLocalDate();
        LocalDate first = switch (this) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
        };
        return first.atStartOfDay(zone);
    }

    /** The end (exclusive) of the period that contains {@code instant}, in {@code zone}. */
    public ZonedDateTime end(Instant instant, ZoneId zone) {
        ZonedDateTime start = start(instant, zone);
        LocalDate next = switch (this) {
            case DAY -> start.toLocalDate().plusDays(1);
            case WEEK -> start.toLocalDate().plusWeeks(1);
            case MONTH -> start.toLocalDate().plusMonths(1);
        };
        return next.atStartOfDay(zone);
    }

    /** Parses {@code day}, {@code week} or {@code month}, ignoring case ({@code daily} etc. too). */
    public static BudgetPeriod parse(String text) {
        String t = Checks.notBlank(text, "budgetPeriod").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "day", "daily", "1d" -> DAY;
            case "week", "weekly", "7d", "1w" -> WEEK;
            case "month", "monthly", "30d", "1mo" -> MONTH;
            default -> throw new IllegalArgumentException(
                    "budgetPeriod must be one of day, week, month, was '" + text + "'");
        };
    }
}
