package dev.nanofleet.webui;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The portal's own addresses (a deployment's page, a node's page, the login callback): each answers the single page
 * that then shows the right view, so a reload or a shared link works. Only these prefixes are the portal's; anything
 * else stays a 404, and the built files under /assets are served as static resources.
 */
@Path("/")
public class PortalPages {

    private static final String INDEX = "META-INF/resources/index.html";

    private final byte[] index;

    PortalPages() {
        this.index = read();
    }

    @GET
    @Path("{view: (deployments|usage|tokens|quotas|fleet|auth)(/.*)?}")
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        if (index == null) {
            throw new NotFoundException("the portal was not built (web-ui/frontend/build)");
        }
        // the page names its hashed assets, so it must be asked for again on every visit
        return Response.ok(index).header("Cache-Control", "no-cache").build();
    }

    private static byte[] read() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(INDEX)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
