package dev.nanofleet.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The edge's settings ({@code NANOFLEET_EDGE_*}); the launcher sets the real values. */
@ConfigMapping(prefix = "nanofleet.edge")
public interface EdgeConfig {

    /** Deployments answer at {@code <name>-<tenant>.<apps-domain>}. */
    @WithDefault("apps.localhost")
    @NotBlank
    String appsDomain();

    /** Where HAProxy's listeners bind. */
    @WithDefault("127.0.0.1")
    @NotBlank
    String bindAddress();

    @WithDefault("18443")
    @Min(1)
    @Max(65535)
    int httpsPort();

    /** Plain HTTP: redirects to HTTPS. */
    @WithDefault("18088")
    @Min(1)
    @Max(65535)
    int httpPort();

    /** HAProxy's configuration, sockets and log, and the local CA ({@code ca/}). */
    Path dataDir();

    @WithDefault("/usr/sbin/haproxy")
    Path haproxy();

    /** control-api's base URL, e.g. {@code http://127.0.0.1:18081}. */
    @NotBlank
    String controlApiUrl();

    /** Keycloak's token endpoint; the edge asks it for a token with its client's credentials. */
    @NotBlank
    String tokenUrl();

    @WithDefault("nanofleet-edge")
    @NotBlank
    String clientId();

    @NotBlank
    String clientSecret();

    /** Kafka, for reading the routes again as soon as an event may have changed them; none: periodic reads only. */
    Optional<String> kafkaBootstrapServers();

    /** How often the routes are read whatever the events say: what a missed event costs at most. */
    @WithDefault("10s")
    Duration resyncInterval();

    /** Where the apps domain's certificate comes from; with nothing set, a local CA made once under the data dir. */
    Tls tls();

    /**
     * The apps domain's certificate from a CA of the operator's choosing: either a certificate issued elsewhere (a
     * public CA's wildcard, or one from the company's PKI) or a CA the edge issues its own certificate from. At most one
     * of the two; both are checked when the edge starts, and a file that does not fit stops the start, naming it.
     */
    interface Tls {

        /** PEM: the certificate for {@code *.<apps-domain>}, any intermediates, then its key; served as it is. */
        Optional<Path> certificateFile();

        /** PEM: a CA certificate (an intermediate of the operator's PKI, say) that signs the edge's certificate. */
        Optional<Path> caCertificateFile();

        /** PEM: the key of {@code ca-certificate-file}; read only by the edge, which should be its only reader. */
        Optional<Path> caKeyFile();
    }
}
