package dev.nanofleet.controlapi.watch;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.nodeapi.NodeApi;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The node API's watch ({@link NodeApi#ASSIGNMENTS_WATCH}): a node agent holds it open and hears within milliseconds
 * that its assignments changed, then fetches them ({@link NodeApi#ASSIGNMENTS}). Same authorisation as the rest of the
 * node API: a node token speaks only for its own node.
 */
@Path(NodeApi.ASSIGNMENTS_WATCH)
@RolesAllowed(NodeApi.NODE_ROLE)
@Tag(name = "node-api")
@Extension(name = "x-smallrye-profile-node-api", value = "")
public class AssignmentWatchResource {

    private final Caller caller;
    private final AssignmentWatches watches;

    AssignmentWatchResource(Caller caller, AssignmentWatches watches) {
        this.caller = caller;
        this.watches = watches;
    }

    @GET
    // an open stream waits for changes the whole time: on a virtual thread, so a fleet's watches do not use up the
    // worker pool (200 threads) that every other request needs
    @RunOnVirtualThread
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "watchAssignments", summary = "Server-Sent Events saying when this node's assignments"
            + " changed (`event: changed`, `data:` a growing version; comments as heartbeats), to fetch them then."
            + " One stream per node: a second one ends the first")
    @APIResponse(responseCode = "200", description = "the stream", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    @APIResponse(responseCode = "403", description = "the token speaks for another node", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response watch(@PathParam("node") String node) {
        caller.requireNode(node);
        return Response.ok(watches.open(node), MediaType.SERVER_SENT_EVENTS_TYPE).header("Cache-Control", "no-store")
                // a proxy must not hold the events back (nginx buffers responses by default)
                .header("X-Accel-Buffering", "no").build();
    }
}
