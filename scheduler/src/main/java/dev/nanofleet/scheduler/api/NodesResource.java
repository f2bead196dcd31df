package dev.nanofleet.scheduler.api;

import dev.nanofleet.scheduler.service.FleetView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Read-only: what the scheduler believes about each node. Changes come only through events. Operators only: it names
 * the tenant whose kernel each node runs.
 */
@Path("/v1/scheduler/nodes")
@RolesAllowed("operator")
@Tag(name = "scheduler")
public class NodesResource {

    @Inject
    FleetView fleet;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Nodes with their allocatable and used capacity, isolation modes and kernel owner")
    public List<FleetView.NodeSummary> nodes() {
        return fleet.nodes();
    }
}
