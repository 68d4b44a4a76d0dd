package dev.tailor.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One management action.
 *
 * @param action  what was done: {@code upload}, {@code release}, {@code retry},
 *                {@code payoff}, {@code gc}, {@code token_refused}
 * @param actor   the token's name ({@code null} when the token was not known)
 * @param outcome {@code ok}, or the problem code the action was refused with
 * @param details what the action touched (digests, channel, counts)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(Instant at, String app, String action, String actor, String outcome,
                         Map<String, Object> details) {

    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        outcome = outcome == null ? "ok" : outcome;
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
