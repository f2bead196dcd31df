package dev.nanofleet.node.logs;

import dev.nanofleet.node.controlplane.GrantBearer;
import dev.nanofleet.nodeapi.NodeLogsGrant;
import java.security.PublicKey;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Decides whether a read of the node's own logs comes from control-api: its bearer must be a {@link NodeLogsGrant}
 * signed with the key of the latest registration answer, for this node, not expired. An instance's
 * {@link dev.nanofleet.nodeapi.LogsGrant} names another scope and is refused, as is a grant for another node.
 */
public final class NodeLogsGrantCheck {

    private final String node;
    private final Clock clock;
    private final Supplier<PublicKey> key;

    /** @param key control-api's key, null before the first registration ({@link LogsGrantCheck#trustedKey()}) */
    public NodeLogsGrantCheck(String node, Clock clock, Supplier<PublicKey> key) {
        this.node = node;
        this.clock = clock;
        this.key = key;
    }

    /** Why the request is refused, or null when it may read this node's logs. */
    public String refusal(String authorization) {
        PublicKey trusted = key.get();
        GrantBearer bearer = GrantBearer.of(authorization, trusted);
        if (bearer.refusal() != null) {
            return bearer.refusal();
        }
        return NodeLogsGrant.verify(bearer.token(), trusted)
                .filter(g -> g.allows(node, clock.instant())).isPresent()
                        ? null
                        : "the grant is not control-api's grant to read this node's logs, or it expired";
    }
}
