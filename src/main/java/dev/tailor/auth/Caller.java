package dev.tailor.auth;

import java.util.Set;

/** Whoever presented a valid token: its name (never the token), its roles and the apps it may touch. */
public record Caller(String name, Set<Role> roles, Set<String> apps) {

    public Caller {
        roles = Set.copyOf(roles);
        apps = Set.copyOf(apps);
    }

    public boolean hasRole(Role role) {
        return roles.contains(Role.ADMIN) || roles.contains(role);
    }

    public boolean mayTouch(String app) {
        return apps.contains("*") || apps.contains(app);
    }
}
