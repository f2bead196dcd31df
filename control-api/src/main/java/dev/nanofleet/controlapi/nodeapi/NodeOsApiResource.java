package dev.nanofleet.controlapi.nodeapi;

import dev.nanofleet.controlapi.node.NodeUpgradeView;
import dev.nanofleet.controlapi.nodeos.NodeOsReleases;
import dev.nanofleet.controlapi.nodeos.NodeUpgrades;
import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.OsReleaseManifest;
import dev.nanofleet.nodeapi.OsUpgradeReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
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
 * Node OS upgrades, node side: a node fetches a release's manifest and files with its own credential and reports its
 * progress. Any listed release may be fetched (releases hold nothing secret; the credential keeps the rest of the
 * world out); versions and file names are looked up among the listed ones, never used as paths as sent.
 */
@Path(NodeApi.BASE)
@RolesAllowed(NodeApi.NODE_ROLE)
@Tag(name = "node-api", description = "What node agents call: registration, heartbeats, assignments, reports")
@Extension(name = "x-smallrye-profile-node-api", value = "")
public class NodeOsApiResource {

    private final NodeOsReleases releases;
    private final NodeUpgrades upgrades;
    private final Caller caller;

    NodeOsApiResource(NodeOsReleases releases, NodeUpgrades upgrades, Caller caller) {
        this.releases = releases;
        this.upgrades = upgrades;
        this.caller = caller;
    }

    @GET
    @Path("os-releases/{version}/manifest")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getOsReleaseManifest", summary = "A node OS release's files with their sha256 and size")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = OsReleaseManifest.class)))
    @APIResponse(responseCode = "404", description = "no such release", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public OsReleaseManifest manifest(@PathParam("node") String node, @PathParam("version") String version) {
        caller.requireNode(node);
        return releases.find(version)
                .orElseThrow(() -> ProblemException.notFound("node OS release '" + version + "'"));
    }

    @GET
    @Path("os-releases/{version}/files/{file}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(operationId = "getOsReleaseFile", summary = "One file of a node OS release, streamed")
    @APIResponse(responseCode = "200", description = "the file's bytes")
    @APIResponse(responseCode = "404", description = "no such release or file", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response file(@PathParam("node") String node, @PathParam("version") String version,
            @PathParam("file") String file) {
        caller.requireNode(node);
        NodeOsReleases.ReleaseFile found = releases.file(version, file).orElseThrow(() -> ProblemException
                .notFound("file '" + file + "' of node OS release '" + version + "'"));
        // a java.nio.file.Path entity is sent from the file, not read into memory
        return Response.ok(found.path(), MediaType.APPLICATION_OCTET_STREAM_TYPE).build();
    }

    @PUT
    @Path("os-upgrade")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "reportOsUpgrade", summary = "Report this node's OS upgrade progress; draining drains it")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = NodeUpgradeView.class)))
    @APIResponse(responseCode = "400", description = "invalid report", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "no such upgrade under way, or a step back", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NodeUpgradeView report(@PathParam("node") String node, OsUpgradeReport report) {
        caller.requireNode(node);
        return upgrades.report(node, report);
    }
}
