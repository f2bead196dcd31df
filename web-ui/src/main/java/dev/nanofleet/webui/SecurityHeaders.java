package dev.nanofleet.webui;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Headers on every answer that keep the portal's page from doing what it should not: scripts only from this origin
 * (the build inlines none), connections only to the API, billing and the identity provider it was configured with
 * (plus the API's WebSocket for exec), no framing by other sites, no MIME sniffing, no referrer sent to other sites.
 */
public class SecurityHeaders {

    private final String policy;

    SecurityHeaders(PortalConfig config) {
        this.policy = policy(config);
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            rc.response().headers()
                    .set("Content-Security-Policy", policy)
                    .set("X-Content-Type-Options", "nosniff")
                    .set("Referrer-Policy", "no-referrer")
                    .set("X-Frame-Options", "DENY");
            rc.next();
        }, 10);
    }

    static String policy(PortalConfig config) {
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'");
        for (String url : new String[]{config.apiUrl(), config.billingUrl(), config.oidcIssuer()}) {
            connect.add(origin(url));
        }
        connect.add(origin(config.apiUrl()).replaceFirst("^http", "ws"));
        return "default-src 'self'; script-src 'self'; connect-src " + String.join(" ", connect)
        // the terminal and the charts set styles from script; images are the page's own or drawn (blob/data)
                + "; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'"
                + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
