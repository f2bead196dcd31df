package dev.nanofleet.webui;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Tells the portal's browser code where the API and the identity provider are, so the page ships no hosts. */
@Path("/portal-config.json")
public class PortalConfigResource {

    public record PortalConfigView(String apiUrl, String billingUrl, String oidcIssuer, String clientId) {
    }

    private final PortalConfig config;

    PortalConfigResource(PortalConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public PortalConfigView get() {
        return new PortalConfigView(config.apiUrl(), config.billingUrl(), config.oidcIssuer(), "nanofleet-portal");
    }
}
