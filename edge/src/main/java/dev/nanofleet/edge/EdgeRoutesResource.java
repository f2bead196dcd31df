package dev.nanofleet.edge;

import dev.nanofleet.edge.core.Route;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * What the edge serves now, for operators on the edge's own (loopback) port: each hostname and its backends. Names
 * hostnames and node addresses only, nothing secret.
 */
@Path("/v1/routes")
@Produces(MediaType.APPLICATION_JSON)
public class EdgeRoutesResource {

    private final EdgeService edge;

    EdgeRoutesResource(EdgeService edge) {
        this.edge = edge;
    }

    @GET
    public List<Route> routes() {
        var status = edge.status();
        return status == null ? List.of() : status.served().routes();
    }
}
