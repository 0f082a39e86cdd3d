package dev.maas4j.core;

import dev.maas4j.api.Budget;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Money budgets per user and per group, on top of the budgets of keys ({@code KeyLimits}) and
 * subscriptions. A group's budget is shared by all its members; a request is charged to every
 * budget that applies and is refused when any of them is spent.
 *
 * @param users       budgets by user name
 * @param groups      budgets by group name
 * @param defaultUser the budget of every user not in {@code users}, if any
 */
public record Budgets(Map<String, Budget> users, Map<String, Budget> groups, Optional<Budget> defaultUser) {

    /** No user or group budgets. */
    public static final Budgets NONE = new Budgets(Map.of(), Map.of(), Optional.empty());

    /** Validates and copies the components. */
    public Budgets {
        users = Map.copyOf(Objects.requireNonNull(users, "users"));
        groups = Map.copyOf(Objects.requireNonNull(groups, "groups"));
        Objects.requireNonNull(defaultUser, "defaultUser");
    }

    /** The budget of {@code user}, if any. */
    public Optional<Budget> forUser(String user) {
        Budget budget = users.get(user);
        return budget != null ? Optional.of(budget) : defaultUser;
    }
}
