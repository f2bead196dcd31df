package dev.nanofleet.tenantbilling.meter;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.NodeLiveness;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.tenantbilling.rating.MeterEvent;
import dev.nanofleet.tenantbilling.rating.MeterEvent.Kind;
import java.time.Instant;
import java.util.Optional;

/**
 * Which events are meter facts, and what each says. An instance event without a tenant cannot be billed to anyone and
 * is refused (it goes to the dead-letter topic where an operator sees it) rather than dropped.
 */
public final class MeterFacts {

    private MeterFacts() {
    }

    /** The fact an event states, or empty for events the meter does not read. */
    public static Optional<MeterEvent> of(Event<?> event, Instant publishedAt) {
        return Optional.ofNullable(switch (event.data()) {
            case InstanceStateChanged s -> new MeterEvent(event.id(), Kind.STATE, event.time(), publishedAt,
                    tenantOf(event), s.deploymentId(), s.instanceId(), s.nodeName(), s.state(), s.isolation(),
                    s.resources());
            case InstancePlaced p -> new MeterEvent(event.id(), Kind.PLACED, event.time(), publishedAt,
                    tenantOf(event), p.deploymentId(), p.instanceId(), p.nodeName(), null, p.isolation(), null);
            case InstanceUnschedulable u -> new MeterEvent(event.id(), Kind.UNSCHEDULABLE, event.time(), publishedAt,
                    tenantOf(event), u.deploymentId(), u.instanceId(), null, null, null, null);
            // billing of a lost node's instances ends at its last heartbeat: nothing on it is known to have run later
            case NodeStatusChanged n when n.status() == NodeLiveness.LOST -> new MeterEvent(event.id(),
                    Kind.NODE_LOST, n.lastHeartbeat() != null && n.lastHeartbeat().isBefore(event.time())
                            ? n.lastHeartbeat()
                            : event.time(),
                    publishedAt, null, null, null, n.nodeName(), null, null, null);
            case NodeStatusChanged n -> new MeterEvent(event.id(), Kind.NODE_READY, event.time(), publishedAt, null,
                    null, null, n.nodeName(), null, null, null);
            default -> null;
        });
    }

    private static String tenantOf(Event<?> event) {
        if (event.tenant() == null || event.tenant().isBlank()) {
            throw new IllegalArgumentException(
                    "event " + event.id() + " of type " + event.type().typeName() + " names no tenant to bill");
        }
        return event.tenant();
    }
}
