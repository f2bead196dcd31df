package dev.nanofleet.webui;

import io.smallrye.config.ConfigMapping;

/** Where the portal's browser code finds the services it calls; the launcher sets the real values. */
@ConfigMapping(prefix = "nanofleet.web-ui")
public interface PortalConfig {
    /** control-api's URL as the browser reaches it. */
    String apiUrl();

    /** tenant-billing's URL as the browser reaches it. */
    String billingUrl();

    /** The Keycloak realm the portal logs people in with. */
    String oidcIssuer();
}
