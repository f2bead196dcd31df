package dev.nanofleet.controlapi.logs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How control-api reads instance logs from node agents: with its own client-credentials identity (a Keycloak client
 * whose service account has the realm role {@code control-plane}). Env form: {@code NANOFLEET_LOGS_CLIENT_SECRET}.
 */
@ConfigMapping(prefix = "nanofleet.logs")
public interface LogsConfig {

    @WithDefault("nanofleet-control-api")
    String clientId();

    /** Unset: logs cannot be read and the endpoint answers 503 saying so. */
    Optional<String> clientSecret();

    /** The token endpoint; default {@code <quarkus.oidc.auth-server-url>/protocol/openid-connect/token}. */
    Optional<URI> tokenUrl();

    /** Connecting to an agent, and waiting for its response to begin. */
    @WithDefault("5s")
    Duration agentTimeout();
}
