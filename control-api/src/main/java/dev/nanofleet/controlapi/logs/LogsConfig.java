package dev.nanofleet.controlapi.logs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/**
 * How control-api reads instance logs from node agents, and how long an ended instance's output is kept. Env form:
 * {@code NANOFLEET_LOGS_SIGNING_KEY}, {@code NANOFLEET_LOGS_RETENTION}, ...
 */
@ConfigMapping(prefix = "nanofleet.logs")
public interface LogsConfig {

    /**
     * The seed of control-api's Ed25519 key (32 random bytes, base64) that signs the per-node, per-instance grants
     * (and per-node grants of a node's own logs) agents accept. Every control-api replica needs the same one. Unset: a key is made at start-up, which is right
     * for one replica only (agents learn it when they register again). Checked at start-up by {@link LogsSigner}.
     */
    Optional<String> signingKey();

    /** Connecting to an agent, and waiting for its response to begin. */
    @WithDefault("5s")
    Duration agentTimeout();

    /** How long the output of a deleted deployment's ended instances stays readable after the deletion. */
    @WithDefault("1h")
    Duration retention();

    /** At most this many ended instances of one deployment keep their output (the newest ones). */
    @WithDefault("5")
    @Min(1)
    @Max(100)
    int keptPerDeployment();
}
