package dev.nanofleet.controlapi.edge;

import dev.nanofleet.controlapi.domain.CustomDomains;
import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.problem.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * A custom domain's certificate with its private key, opened from its seal: for the edge's own identity only (not
 * operators, who read routes but have no use for tenants' keys). The edge asks once per certificate it does not hold.
 */
@Path("/v1/edge/certificates/{hostname}")
@RolesAllowed(EdgeRoutesResource.EDGE_ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes")
public class EdgeCertificatesResource {

    private static final Logger LOG = Logger.getLogger(EdgeCertificatesResource.class);

    private final CustomDomains domains;

    EdgeCertificatesResource(CustomDomains domains) {
        this.domains = domains;
    }

    @GET
    @Operation(operationId = "getEdgeCertificate", summary = "A custom domain's certificate and private key (the edge only)")
    @APIResponse(responseCode = "200", description = "the certificate and key", content = @Content(schema = @Schema(implementation = CustomDomains.EdgeCertificate.class)))
    @APIResponse(responseCode = "403", description = "not the edge", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no live deployment has this hostname", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CustomDomains.EdgeCertificate get(@PathParam("hostname") String hostname) {
        CustomDomains.EdgeCertificate found = domains.certificateForEdge(hostname)
                .orElseThrow(() -> ProblemException.notFound("custom domain '" + hostname + "'"));
        LOG.infof("the edge read the certificate of %s (%s)", found.hostname(),
                found.certificateSha256().substring(0, 12));
        return found;
    }
}
