package dev.nanofleet.events;

import java.time.Instant;

/**
 * control-api decided that a node became {@code LOST} (silent past its grace period) or {@code READY} again (it
 * heartbeats or registers after being lost). Published only on a transition, never per heartbeat: liveness is decided
 * once, where heartbeats arrive, so a consumer that falls behind (or a Kafka outage) never makes a node look dead.
 *
 * @param lastHeartbeat the node's last heartbeat as control-api recorded it
 * @param reason why, in words (e.g. "no heartbeat for 60s")
 */
public record NodeStatusChanged(String nodeName, NodeLiveness status, Instant lastHeartbeat, String reason)
        implements
            EventPayload {

    @Override
    public String partitionKey() {
        return nodeName;
    }
}
