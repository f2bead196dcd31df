package dev.nanofleet.controlapi.enrollment;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies and answers of {@code /v1/node-join-tokens}. */
public final class JoinTokenRequests {

    private JoinTokenRequests() {
    }

    @Schema(name = "CreateNodeJoinToken")
    public record Create(
            @Schema(minimum = "" + JoinTokenRules.MIN_TTL_SECONDS, maximum = ""
                    + JoinTokenRules.MAX_TTL_SECONDS, defaultValue = ""
                            + JoinTokenRules.DEFAULT_TTL_SECONDS, description = "how long the token may be used, in seconds (like the API's other durations)") Integer ttlSeconds,
            @Schema(minimum = "1", maximum = ""
                    + JoinTokenRules.MAX_USES, defaultValue = "1", description = "how many nodes may enroll with it") Integer uses,
            @Schema(description = "placement labels stamped on every node that enrolls with it; the node's registration cannot drop or change them") Map<String, String> labels,
            @Schema(maxLength = JoinTokenRules.MAX_DESCRIPTION, example = "rack 7, March batch") String description) {
    }

    /** A join token as listed: never its secret, which only its creation answer holds. */
    @Schema(name = "NodeJoinToken")
    public record View(@Schema(required = true) UUID id, String description,
            @Schema(required = true) Map<String, String> labels, @Schema(required = true) int uses,
            @Schema(required = true, description = "enrollments it still allows (0: used up)") int usesLeft,
            @Schema(required = true) String createdBy, @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant expiresAt) {

        static View of(JoinTokenEntity t) {
            return new View(t.id, t.description, new TreeMap<>(t.labels), t.uses, t.usesLeft, t.createdBy,
                    t.createdAt, t.expiresAt);
        }
    }

    /** The creation answer: the token and its secret, shown this once. */
    @Schema(name = "CreatedNodeJoinToken")
    public record Created(@Schema(required = true) UUID id, String description,
            @Schema(required = true) Map<String, String> labels, @Schema(required = true) int uses,
            @Schema(required = true) int usesLeft, @Schema(required = true) String createdBy,
            @Schema(required = true) Instant createdAt, @Schema(required = true) Instant expiresAt,
            @Schema(required = true, description = "the join token (nfj_...) a new node enrolls with: shown only in this answer") String secret) {

        static Created of(JoinTokenEntity t, String secret) {
            View v = View.of(t);
            return new Created(v.id(), v.description(), v.labels(), v.uses(), v.usesLeft(), v.createdBy(),
                    v.createdAt(), v.expiresAt(), secret);
        }

        @Override
        public String toString() {
            return "CreatedNodeJoinToken[id=" + id + ", secret=***]";
        }
    }
}
