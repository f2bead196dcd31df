package dev.nanofleet.node.logs;

import dev.nanofleet.node.controlplane.GrantBearer;
import dev.nanofleet.nodeapi.LogsGrant;
import java.security.PublicKey;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides whether a log read comes from control-api: its bearer must be a {@link LogsGrant} signed with the key
 * control-api sent in this node's registration answer, for this node, this instance and {@code logs.read}, not
 * expired. Nothing else is accepted, so a grant another node captured, or a Keycloak token, reads nothing here.
 * Thread-safe: the registration thread sets the key, request threads check.
 */
public final class LogsGrantCheck {

    private final String node;
    private final Clock clock;
    private final AtomicReference<PublicKey> key = new AtomicReference<>();

    public LogsGrantCheck(String node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    /** The key control-api signs with, from its latest registration answer. */
    public void trust(PublicKey controlApiKey) {
        key.set(controlApiKey);
    }

    /** The key control-api signs with; null before the first registration. Exec grants are checked with it too. */
    public PublicKey trustedKey() {
        return key.get();
    }

    /** Why the request is refused, or null when it may read {@code instanceId}'s output. */
    public String refusal(String authorization, UUID instanceId) {
        PublicKey trusted = key.get();
        GrantBearer bearer = GrantBearer.of(authorization, trusted);
        if (bearer.refusal() != null) {
            return bearer.refusal();
        }
        return LogsGrant.verify(bearer.token(), trusted)
                .filter(g -> instanceId != null && g.allows(node, instanceId, LogsGrant.LOGS_READ, clock.instant()))
                .isPresent() ? null : "the grant is not control-api's, or not for this node and instance, or expired";
    }
}
