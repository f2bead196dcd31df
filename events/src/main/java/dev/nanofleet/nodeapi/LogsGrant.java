package dev.nanofleet.nodeapi;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What control-api hands a node agent to read one instance's output: valid for one node, one instance and one scope,
 * for {@link #LIFETIME}, signed with control-api's Ed25519 key (see {@link GrantKeys}). A node that captures it can
 * replay it neither against another agent nor for another instance, and not for long.
 *
 * <p>
 * Wire form: {@code base64url(JSON of this record) "." base64url(Ed25519 signature of those JSON bytes)}, sent as
 * {@code Authorization: Bearer <grant>}.
 */
public record LogsGrant(String node, UUID instanceId, String scope, Instant expiresAt) {

    public static final String LOGS_READ = "logs.read";
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    /** Clocks of control-api and nodes may disagree by this much. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /** A grant to read one instance's logs on one node, from {@code now} for {@link #LIFETIME}. */
    public static LogsGrant readLogs(String node, UUID instanceId, Instant now) {
        return new LogsGrant(node, instanceId, LOGS_READ, now.plus(LIFETIME));
    }

    public String sign(PrivateKey key) {
        return SignedGrants.sign(this, key);
    }

    /**
     * The grant a token carries if its signature is control-api's; empty for anything else (malformed, forged, signed
     * with another key). Whether it allows a request is {@link #allows}'s question.
     */
    public static Optional<LogsGrant> verify(String token, PublicKey key) {
        return SignedGrants.verify(token, key, LogsGrant.class)
                .filter(grant -> grant.node() != null && grant.instanceId() != null && grant.scope() != null
                        && grant.expiresAt() != null);
    }

    /**
     * Whether this grant lets its bearer do {@code scope} on {@code instanceId} at {@code node} at {@code now}. A grant
     * that claims to live longer than {@link #LIFETIME} is refused too, so a leaked signing bug cannot mint long ones.
     */
    public boolean allows(String node, UUID instanceId, String scope, Instant now) {
        return this.node.equals(node) && this.instanceId.equals(instanceId) && this.scope.equals(scope)
                && now.isBefore(expiresAt.plus(CLOCK_SKEW))
                && !expiresAt.isAfter(now.plus(LIFETIME).plus(CLOCK_SKEW));
    }

    @Override
    public String toString() {
        // no signature here: a grant's string form may be logged
        return "LogsGrant[node=" + node + ", instance=" + instanceId + ", scope=" + scope + ", expires=" + expiresAt
                + "]";
    }
}
