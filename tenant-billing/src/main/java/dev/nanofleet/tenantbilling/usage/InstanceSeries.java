package dev.nanofleet.tenantbilling.usage;

import dev.nanofleet.tenantbilling.meter.MeterStore.Sample;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What the nodes measured of one instance over a stretch of time, oldest first: its cumulative CPU time and memory at
 * each sample, and the CPU rate since the sample before.
 *
 * @param more whether samples after the last one exist that the limit left out
 */
public record InstanceSeries(UUID instanceId, String tenant, UUID deploymentId, List<Point> samples, boolean more) {

    /** Decimals of a rate: a millionth of a core is finer than any node's sampling can tell apart. */
    public static final int CPU_CORES_SCALE = 6;

    public InstanceSeries {
        Objects.requireNonNull(instanceId, "instanceId");
        samples = List.copyOf(samples);
    }

    /**
     * @param cpuNanos the instance's CPU time since its process (or VM) started
     * @param cpuCores the CPU the instance used since the previous sample, in cores (CPU time over wall time); null
     *            for its first sample, when the counter went backwards (a restart), or when no time passed
     */
    public record Point(Instant sampledAt, long cpuNanos, long memoryBytes, BigDecimal cpuCores) {
    }

    /** The points of {@code samples} (oldest first), each rate taken from the one before; {@code before} may be null. */
    public static List<Point> points(Sample before, List<Sample> samples) {
        List<Point> points = new ArrayList<>(samples.size());
        Sample previous = before;
        for (Sample sample : samples) {
            points.add(new Point(sample.sampledAt(), sample.cpuNanos(), sample.memoryBytes(),
                    cpuCores(previous, sample)));
            previous = sample;
        }
        return points;
    }

    /**
     * CPU time used between two samples over the time between them, half-even to {@value #CPU_CORES_SCALE} decimals.
     * Null when there is no previous sample, the counter went backwards (the process restarted, so the growth since
     * the previous sample is unknown) or no time passed.
     */
    static BigDecimal cpuCores(Sample previous, Sample current) {
        if (previous == null || current.cpuNanos() < previous.cpuNanos()) {
            return null;
        }
        long elapsedNanos = Duration.between(previous.sampledAt(), current.sampledAt()).toNanos();
        if (elapsedNanos <= 0) {
            return null;
        }
        return BigDecimal.valueOf(current.cpuNanos() - previous.cpuNanos())
                .divide(BigDecimal.valueOf(elapsedNanos), CPU_CORES_SCALE, RoundingMode.HALF_EVEN);
    }
}
