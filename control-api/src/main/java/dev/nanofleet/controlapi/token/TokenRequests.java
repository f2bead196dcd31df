package dev.nanofleet.controlapi.token;

import dev.nanofleet.controlapi.security.Scope;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies and answers of {@code /v1/tokens}. */
public final class TokenRequests {

    private TokenRequests() {
    }

    @Schema(name = "CreateToken")
    public record Create(@Schema(required = true, example = "ci-deploy", minLength = 1, maxLength = 64) String name,
            @Schema(required = true, minItems = 1, description = "what the token may do; never more than its creator") List<Scope> scopes,
            @Schema(minimum = "1", maximum = "365", defaultValue = "90") Integer expiresInDays) {
    }

    /** A token as listed: never its secret, which only its creation answer holds. */
    @Schema(name = "Token")
    public record View(@Schema(required = true) UUID id, @Schema(required = true) String name,
            @Schema(required = true) List<Scope> scopes, String tenant, @Schema(required = true) boolean operator,
            @Schema(required = true) String createdBy, @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant expiresAt, Instant lastUsedAt) {

        static View of(ApiTokenEntity t) {
            return new View(t.id, t.name, t.scopes.stream().sorted().toList(), t.tenant, t.operator, t.createdBy,
                    t.createdAt, t.expiresAt, t.lastUsedAt);
        }
    }

    /** The creation answer: the token and its secret, shown this once. */
    @Schema(name = "CreatedToken")
    public record Created(@Schema(required = true) UUID id, @Schema(required = true) String name,
            @Schema(required = true) List<Scope> scopes, String tenant, @Schema(required = true) boolean operator,
            @Schema(required = true) String createdBy, @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant expiresAt,
            @Schema(required = true, description = "the bearer secret (nfk_...): shown only in this answer") String secret) {

        static Created of(ApiTokenEntity t, String secret) {
            View v = View.of(t);
            return new Created(v.id(), v.name(), v.scopes(), v.tenant(), v.operator(), v.createdBy(), v.createdAt(),
                    v.expiresAt(), secret);
        }

        @Override
        public String toString() {
            return "CreatedToken[id=" + id + ", name=" + name + ", secret=***]";
        }
    }
}
