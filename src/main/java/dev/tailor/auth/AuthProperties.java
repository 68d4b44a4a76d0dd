package dev.tailor.auth;

import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tokens are configured by the sha256 of their value, never the value itself:
 * <pre>
 * tailor.auth.tokens:
 *   - name: ci
 *     sha256: 9f86d08...   # printf %s "$TOKEN" | sha256sum
 *     roles: [publish, build]
 *     apps: [hello]
 * </pre>
 *
 * @param bootstrapAdmin create (or reuse) {@code <data dir>/admin-token} with the admin role on start
 */
@ConfigurationProperties("tailor.auth")
public record AuthProperties(List<Token> tokens, @DefaultValue("true") boolean bootstrapAdmin) {

    public AuthProperties {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    public record Token(String name, String sha256, Set<Role> roles, Set<String> apps) {
        public Token {
            roles = roles == null ? Set.of() : Set.copyOf(roles);
            apps = apps == null ? Set.of() : Set.copyOf(apps);
        }
    }
}
