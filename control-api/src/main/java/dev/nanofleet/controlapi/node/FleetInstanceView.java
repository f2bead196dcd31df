package dev.nanofleet.controlapi.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanofleet.controlapi.deployment.DeploymentView.UsageView;
import dev.nanofleet.controlapi.deployment.InstanceEntity;
import dev.nanofleet.controlapi.deployment.RevisionSpec;
import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One replica as operators see it across the fleet: whose it is, where it runs, what it reserves there and what its
 * node last measured. Fields without a value are null (never absent); enums in lower case as elsewhere
 * ({@link EnumNames}).
 */
@Schema(name = "FleetInstance", description = "A replica across the fleet (operators): reserved is what the revision it"
        + " runs asks for (CPU in thousandths of a core, memory in MiB); usage is its node's last measurement, null"
        + " before the first")
@JsonInclude(JsonInclude.Include.ALWAYS)
public record FleetInstanceView(@Schema(required = true) UUID id, @Schema(required = true) String tenant,
        @Schema(required = true, nullable = true, description = "the tenant's name; null for a tenant control-api"
                + " has no record of") String tenantName,
        @Schema(required = true) UUID deploymentId, @Schema(required = true) String deploymentName,
        @Schema(required = true) int ordinal,
        @Schema(required = true, nullable = true, description = "its node; null while not placed") String node,
        @Schema(required = true, nullable = true, type = SchemaType.STRING, enumeration = {
                "hardware",
                "shared"}, description = "as placed; null while not placed") String isolation,
        @Schema(required = true, type = SchemaType.STRING, enumeration = {"pending", "unschedulable", "scheduled",
                "pulling", "starting", "running", "restarting", "stopping", "stopped", "exited",
                "failed"}) String state,
        @Schema(required = true, type = SchemaType.STRING, enumeration = {"running", "stopped",
                "ended"}, description = "running: to run; stopped: to stop (deleted, scaled down, replaced)") String desiredState,
        @Schema(required = true, nullable = true, type = SchemaType.STRING, enumeration = {"starting", "healthy",
                "unhealthy"}, description = "what its health check says while it runs; null without a check") String health,
        @Schema(required = true, nullable = true, description = "why it is in its state: for unschedulable the"
                + " scheduler's explanation (e.g. 0/3 nodes available: 2 insufficient memory, 1 kernel owned by"
                + " another tenant), for failed what went wrong") String reason,
        @Schema(required = true) Resources reserved, @Schema(required = true, nullable = true) UsageView usage,
        @Schema(required = true, type = SchemaType.STRING, format = "date-time", description = "when it last changed") Instant updatedAt){

    /**
     * Tenant, then deployment (by name, then id), then ordinal: how every fleet list is ordered. Ids compare as their
     * text, which orders them as PostgreSQL does (unsigned bytes; {@code UUID.compareTo} compares signed longs).
     */
    static final Comparator<FleetInstanceView> ORDER = Comparator.comparing(FleetInstanceView::tenant)
            .thenComparing(FleetInstanceView::deploymentName)
            .thenComparing((FleetInstanceView v) -> v.deploymentId().toString())
            .thenComparingInt(FleetInstanceView::ordinal);

    static FleetInstanceView of(InstanceEntity instance, RevisionSpec spec, String tenantName) {
        return new FleetInstanceView(instance.id(), instance.deployment().tenant, tenantName,
                instance.deployment().id, instance.deployment().name, instance.ordinal(), instance.nodeName(),
                EnumNames.json(instance.isolation()), EnumNames.json(instance.state()),
                EnumNames.json(instance.desiredState()), EnumNames.json(instance.health()), instance.reason(),
                spec.resources(), UsageView.of(instance), instance.updatedAt());
    }
}
