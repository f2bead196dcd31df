package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.usage.InstanceSeries;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One instance's CPU and memory over time, as its node sampled them, oldest first. */
@Schema(name = "InstanceSamples")
public record InstanceSamplesView(@Schema(required = true) UUID instanceId, @Schema(required = true) String tenant,
        @Schema(required = true) UUID deploymentId,
        @Schema(required = true, description = "samples are those taken after this instant (exclusive)") Instant since,
        @Schema(required = true, description = "at most this many samples") int limit,
        @Schema(required = true, description = "true when samples after the last one were left out by limit: ask "
                + "again with since set to the last sampledAt") boolean more,
        @Schema(required = true) List<Point> samples) {

    @Schema(name = "InstanceSample")
    public record Point(@Schema(required = true, description = "when the node took the sample") Instant sampledAt,
            @Schema(required = true, description = "CPU time since the instance's process (or VM) started, in "
                    + "nanoseconds; an integer that may exceed 2^53") long cpuNanos,
            @Schema(required = true, description = "memory in use, in bytes") long memoryBytes,
            @Schema(required = true, type = SchemaType.NUMBER, nullable = true, description = "CPU used since the "
                    + "previous sample, in cores (CPU time over wall time, 6 decimals); null for the instance's "
                    + "first sample and after a restart (the counter went backwards)", example = "0.251337") BigDecimal cpuCores) {
    }

    public static InstanceSamplesView of(InstanceSeries series, SamplesQuery query) {
        return new InstanceSamplesView(series.instanceId(), series.tenant(), series.deploymentId(), query.since(),
                query.limit(), series.more(), series.samples().stream()
                        .map(p -> new Point(p.sampledAt(), p.cpuNanos(), p.memoryBytes(), p.cpuCores())).toList());
    }
}
