package dev.nanofleet.tenantbilling.rating;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One fact the meter reads, taken from an event: what an instance's node said about it, where the scheduler put it, or
 * a node's liveness. Identified by its event's id, so the same event read twice is the same fact.
 *
 * @param occurredAt when it happened, by the control plane's clock (the event's time; for {@link Kind#NODE_LOST} the
 *            node's last heartbeat, the last moment anything on it is known to have run)
 * @param publishedAt when Kafka received the event: decides which invoice learns of it (see {@link Invoicing})
 * @param tenant null for node facts, which concern every instance on the node
 * @param instanceId null for node facts
 * @param node the node the fact is about: where the instance runs or was placed; null for {@link Kind#UNSCHEDULABLE}
 * @param state only for {@link Kind#STATE}
 * @param isolation for {@link Kind#STATE} (may be null in old events) and {@link Kind#PLACED}
 * @param resources only for {@link Kind#STATE} (may be null in old events)
 */
public record MeterEvent(UUID id, Kind kind, Instant occurredAt, Instant publishedAt, String tenant, UUID deploymentId,
        UUID instanceId, String node, InstanceState state, Isolation isolation, Resources resources) {

    public enum Kind {
        /** The instance's node reported a new state (instance.state-changed). */
        STATE,
        /** The scheduler placed the instance on a node; on another node than before, it moved (instance.placed). */
        PLACED,
        /** No node can take the instance: it is on none (instance.unschedulable). */
        UNSCHEDULABLE,
        /** The node went silent; nothing on it is billed from its last heartbeat (node.status-changed LOST). */
        NODE_LOST,
        /** The node is back; what it still runs is billed again (node.status-changed READY). */
        NODE_READY
    }

    public MeterEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(publishedAt, "publishedAt");
    }

    public boolean isNodeFact() {
        return kind == Kind.NODE_LOST || kind == Kind.NODE_READY;
    }
}
