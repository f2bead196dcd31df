package dev.nanofleet.node.exec;

import dev.nanofleet.node.controlplane.GrantBearer;
import dev.nanofleet.nodeapi.ExecGrant;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Decides whether an exec upgrade comes from control-api: its bearer must be an {@link ExecGrant} signed with the key
 * of this node's registration answer, for this node, this instance, exactly this command, tty and stdin, not expired,
 * and with a session id not seen before (a grant opens one session, so a captured one cannot be replayed). Thread-safe.
 */
public final class ExecGrantCheck {

    private final String node;
    private final Clock clock;
    private final Supplier<PublicKey> key;
    private final Map<UUID, Instant> used = new ConcurrentHashMap<>();

    /** @param key control-api's key, from the latest registration answer; null before the first */
    public ExecGrantCheck(String node, Clock clock, Supplier<PublicKey> key) {
        this.node = node;
        this.clock = clock;
        this.key = key;
    }

    /** The outcome: the grant, or why the request is refused. */
    public record Outcome(ExecGrant grant, String refusal) {
    }

    /** Checks the grant and, when it is good, uses up its session id. */
    public Outcome check(String authorization, UUID instanceId, List<String> command, boolean tty, boolean stdin) {
        PublicKey trusted = key.get();
        GrantBearer bearer = GrantBearer.of(authorization, trusted);
        if (bearer.refusal() != null) {
            return new Outcome(null, bearer.refusal());
        }
        Instant now = clock.instant();
        ExecGrant grant = ExecGrant.verify(bearer.token(), trusted)
                .filter(g -> instanceId != null && g.allows(node, instanceId, command, tty, stdin, now)).orElse(null);
        if (grant == null) {
            return new Outcome(null, "the grant is not control-api's, or not for this node, instance and command, or"
                    + " expired");
        }
        used.values().removeIf(expiry -> expiry.isBefore(now.minus(ExecGrant.LIFETIME)));
        if (used.putIfAbsent(grant.sessionId(), grant.expiresAt()) != null) {
            return new Outcome(null, "the grant was used already");
        }
        return new Outcome(grant, null);
    }
}
