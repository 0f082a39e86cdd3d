package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Groups and users, in the CRD shape {@code {"groups": [{"name": ...}], "users": [...]}}: a
 * subscription's {@code owner}, a policy's {@code subjects}.
 *
 * @param groups the groups
 * @param users  the user names
 */
public record Subjects(List<Group> groups, List<String> users) {

    /** Copies the components. */
    public Subjects {
        groups = Values.list(groups);
        users = Values.list(users);
    }

    /** These groups and no user. */
    public static Subjects groups(String... names) {
        return new Subjects(Arrays.stream(names).map(n -> new Group(n, Map.of())).toList(), List.of());
    }

    /** These users and no group. */
    public static Subjects users(String... names) {
        return new Subjects(List.of(), List.of(names));
    }

    /** These groups and users. */
    public static Subjects of(List<String> groups, List<String> users) {
        return new Subjects(groups.stream().map(n -> new Group(n, Map.of())).toList(), users);
    }

    /** The group names. */
    public List<String> groupNames() {
        return groups.stream().map(Group::name).toList();
    }

    /**
     * A group reference.
     *
     * @param name  the group's name
     * @param extra properties this version does not know
     */
    public record Group(String name, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Validates the components. */
        public Group {
            Values.notBlank(name, "group name");
            extra = Values.extra(extra);
        }
    }
}
