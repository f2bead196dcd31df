package dev.nanofleet.controlapi.token;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.security.CallerIdentity;
import dev.nanofleet.controlapi.security.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a new token may be, given who creates it. Pure, so the rules are tested directly: a token never holds a scope
 * its creator lacks, and a token made by a token never outlives it (otherwise a short-lived token could mint a
 * long-lived one).
 */
public final class TokenRules {

    public static final int DEFAULT_DAYS = 90;
    public static final int MAX_DAYS = 365;
    public static final int MAX_NAME_LENGTH = 64;

    private TokenRules() {
    }

    /** The refusals for the request, as field errors; empty when it may be created. */
    public static List<FieldError> check(TokenRequests.Create request, CallerIdentity creator, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            return List.of(new FieldError("", "a JSON object is required"));
        }
        String name = request.name();
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH
                || name.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "must be 1 to " + MAX_NAME_LENGTH + " characters without control"
                    + " characters"));
        }
        if (request.scopes() == null || request.scopes().isEmpty()) {
            errors.add(new FieldError("scopes", "must name at least one of [read, deploy, exec, admin]"));
        } else {
            for (int i = 0; i < request.scopes().size(); i++) {
                Scope scope = request.scopes().get(i);
                if (scope == null) {
                    errors.add(new FieldError("scopes[" + i + "]", "must be one of [read, deploy, exec, admin]"));
                } else if (!creator.scopes().contains(scope)) {
                    errors.add(new FieldError("scopes[" + i + "]",
                            "'" + scope.json()
                                    + "' is more than the creator may do: a token cannot exceed its creator"));
                }
            }
        }
        Integer days = request.expiresInDays();
        if (days != null && (days < 1 || days > MAX_DAYS)) {
            errors.add(new FieldError("expiresInDays", "must be between 1 and " + MAX_DAYS));
        } else if (days != null && creator.expiresAt() != null
                && now.plus(Duration.ofDays(days)).isAfter(creator.expiresAt())) {
            errors.add(new FieldError("expiresInDays",
                    "must not outlive the token creating it, which expires at " + creator.expiresAt()));
        }
        return errors;
    }

    /** The asked lifetime, or 90 days; without an asked lifetime, a token's token ends with its creator. */
    public static Instant expiry(TokenRequests.Create request, CallerIdentity creator, Instant now) {
        int days = request.expiresInDays() == null ? DEFAULT_DAYS : request.expiresInDays();
        Instant expiry = now.plus(Duration.ofDays(days));
        return creator.expiresAt() != null && expiry.isAfter(creator.expiresAt()) ? creator.expiresAt() : expiry;
    }
}
