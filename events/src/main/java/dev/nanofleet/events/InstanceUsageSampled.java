package dev.nanofleet.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A node measured one of its running instances. CPU time is cumulative since the instance's process (or VM) started,
 * so a consumer bills the difference between consecutive samples; a restart starts the count again from zero.
 */
public record InstanceUsageSampled(UUID instanceId, UUID deploymentId, String tenant, String nodeName,
        Isolation isolation, Resources resources, Instant sampledAt, long cpuNanos, long memoryBytes)
        implements
            EventPayload {

    @Override
    public String partitionKey() {
        return tenant;
    }
}
