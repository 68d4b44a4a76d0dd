package dev.tailor.auth;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What a token may do. {@code admin} may do everything. */
public enum Role {
    PUBLISH, BUILD, ADMIN;

    @JsonCreator
    static Role parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
