package dev.nanofleet.controlapi.nodeos;

import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.Scope;
import dev.nanofleet.nodeapi.OsReleaseManifest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The node OS releases nodes can be upgraded to, for operators. */
@Path("/v1/node-os-releases")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes", description = "The fleet, for operators")
public class NodeOsReleasesResource {

    private final NodeOsReleases releases;
    private final Caller caller;

    NodeOsReleasesResource(NodeOsReleases releases, Caller caller) {
        this.releases = releases;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listNodeOsReleases", summary = "The node OS releases POST /v1/nodes/{name}/upgrade can"
            + " install, by version; empty when none are configured (operators only)")
    public List<ReleaseView> list() {
        caller.operator(Scope.READ);
        return releases.list().stream().map(ReleaseView::of).toList();
    }

    @Schema(name = "NodeOsRelease")
    public record ReleaseView(@Schema(required = true) String version,
            @Schema(required = true, description = "each file by name with its sha256 and size") Map<String, OsReleaseManifest.FileDigest> files,
            @Schema(required = true, description = "the files' sizes summed") long bytes) {

        static ReleaseView of(OsReleaseManifest release) {
            return new ReleaseView(release.version(), release.files(), release.files().values().stream()
                    .mapToLong(OsReleaseManifest.FileDigest::bytes).sum());
        }
    }
}
