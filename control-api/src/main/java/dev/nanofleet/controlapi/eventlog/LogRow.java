package dev.nanofleet.controlapi.eventlog;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as the log stores it, before it has its sequence number.
 *
 * @param tenant whose event it is; null for fleet events and events whose tenant could not be known (operators only)
 * @param data the payload as the tenant API spells it
 */
public record LogRow(UUID eventId, String type, Instant time, String tenant, UUID deploymentId, UUID instanceId,
        String actor, JsonNode data) {

    public LogRow {
        Objects.requireNonNull(eventId);
        Objects.requireNonNull(type);
        Objects.requireNonNull(time);
        Objects.requireNonNull(data);
    }
}
