package dev.nanofleet.nodeapi;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What control-api hands a node agent to open one exec session: valid for one node, one instance, exactly one command
 * with its tty and stdin choice, and one session id (a nonce the agent accepts once), for {@link #LIFETIME}; signed
 * with the same Ed25519 key as {@link LogsGrant}. A node that captures it can use it for nothing else.
 *
 * <p>
 * Wire form as {@link LogsGrant}'s: {@code base64url(JSON) "." base64url(Ed25519 signature)}, sent as
 * {@code Authorization: Bearer <grant>} on the WebSocket upgrade of {@link NodeApi#AGENT_INSTANCE_EXEC}.
 */
public record ExecGrant(String node, UUID instanceId, UUID sessionId, List<String> command, boolean tty,
        boolean stdin, Instant expiresAt) {

    /** Only long enough for control-api to connect: the session itself may last longer. */
    public static final Duration LIFETIME = Duration.ofSeconds(30);

    public ExecGrant {
        command = command == null ? null : List.copyOf(command);
    }

    /** A grant for one session, from {@code now} for {@link #LIFETIME}. */
    public static ExecGrant of(String node, UUID instanceId, UUID sessionId, List<String> command, boolean tty,
            boolean stdin, Instant now) {
        return new ExecGrant(node, instanceId, sessionId, command, tty, stdin, now.plus(LIFETIME));
    }

    public String sign(PrivateKey key) {
        return SignedGrants.sign(this, key);
    }

    /** The grant a token carries if its signature is control-api's; empty for anything else. */
    public static Optional<ExecGrant> verify(String token, PublicKey key) {
        return SignedGrants.verify(token, key, ExecGrant.class)
                .filter(grant -> grant.node() != null && grant.instanceId() != null && grant.sessionId() != null
                        && grant.command() != null && !grant.command().isEmpty() && grant.expiresAt() != null);
    }

    /**
     * Whether this grant opens exactly this session at {@code node} at {@code now}. A grant that claims to live longer
     * than {@link #LIFETIME} is refused.
     */
    public boolean allows(String node, UUID instanceId, List<String> command, boolean tty, boolean stdin,
            Instant now) {
        return this.node.equals(node) && this.instanceId.equals(instanceId) && this.command.equals(command)
                && this.tty == tty && this.stdin == stdin && now.isBefore(expiresAt.plus(LogsGrant.CLOCK_SKEW))
                && !expiresAt.isAfter(now.plus(LIFETIME).plus(LogsGrant.CLOCK_SKEW));
    }

    @Override
    public String toString() {
        // neither the signature nor the command (it may carry a secret) in a string that may be logged
        return "ExecGrant[node=" + node + ", instance=" + instanceId + ", session=" + sessionId + ", tty=" + tty
                + ", stdin=" + stdin + ", expires=" + expiresAt + "]";
    }
}
