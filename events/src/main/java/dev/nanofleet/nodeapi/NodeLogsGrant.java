package dev.nanofleet.nodeapi;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What control-api hands a node agent to read the node's own logs (the agent's log, the kernel's messages): valid for
 * one node and the scope {@value #NODE_LOGS_READ} only, for {@link #LIFETIME}, signed with the same Ed25519 key as
 * {@link LogsGrant}. The scope names what it reads, so neither kind of grant passes for the other: an instance's
 * {@link LogsGrant} carries {@value LogsGrant#LOGS_READ} (refused here), and this grant carries no instance (refused
 * by {@link LogsGrant#verify}).
 *
 * <p>
 * Wire form as {@link LogsGrant}'s, sent as {@code Authorization: Bearer <grant>} to {@link NodeApi#AGENT_NODE_LOGS}.
 */
public record NodeLogsGrant(String node, String scope, Instant expiresAt) {

    public static final String NODE_LOGS_READ = "node.logs.read";
    public static final Duration LIFETIME = LogsGrant.LIFETIME;

    /** A grant to read one node's own logs, from {@code now} for {@link #LIFETIME}. */
    public static NodeLogsGrant readNodeLogs(String node, Instant now) {
        return new NodeLogsGrant(node, NODE_LOGS_READ, now.plus(LIFETIME));
    }

    public String sign(PrivateKey key) {
        return SignedGrants.sign(this, key);
    }

    /** The grant a token carries if its signature is control-api's and it names the node-logs scope; else empty. */
    public static Optional<NodeLogsGrant> verify(String token, PublicKey key) {
        return SignedGrants.verify(token, key, NodeLogsGrant.class)
                .filter(grant -> grant.node() != null && NODE_LOGS_READ.equals(grant.scope())
                        && grant.expiresAt() != null);
    }

    /** Whether this grant lets its bearer read {@code node}'s own logs at {@code now}; never one that lives too long. */
    public boolean allows(String node, Instant now) {
        return this.node.equals(node) && NODE_LOGS_READ.equals(scope)
                && now.isBefore(expiresAt.plus(LogsGrant.CLOCK_SKEW))
                && !expiresAt.isAfter(now.plus(LIFETIME).plus(LogsGrant.CLOCK_SKEW));
    }

    @Override
    public String toString() {
        return "NodeLogsGrant[node=" + node + ", scope=" + scope + ", expires=" + expiresAt + "]";
    }
}
