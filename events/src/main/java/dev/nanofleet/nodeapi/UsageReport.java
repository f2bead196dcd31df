package dev.nanofleet.nodeapi;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What a node measured of its running instances, sent periodically. */
public record UsageReport(List<Sample> samples) {

    /**
     * One instance at one moment.
     *
     * @param cpuNanos CPU time used since the instance's process (or VM) started, cumulative
     * @param memoryBytes memory in use now (cgroup usage; for a VM, its QEMU process)
     */
    public record Sample(UUID instanceId, Instant sampledAt, long cpuNanos, long memoryBytes) {
    }
}
