package dev.nanofleet.controlapi.node;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * When control-api marks a silent node lost ({@code nanofleet.control-api.node-liveness.*}). The safeguards follow the
 * Kubernetes node lifecycle controller: an unhealthy-zone threshold (too many silent at once means the control plane
 * is the likelier fault, so nothing is evicted) and an eviction rate limit.
 */
public interface NodeLivenessConfig {

    /** A node silent for longer than this is marked LOST (unless a safeguard holds it). */
    @WithDefault("60s")
    Duration lostAfter();

    /**
     * How often the heartbeats noted in memory are written to the database, all nodes in one statement (see
     * {@code HeartbeatLedger}); must be well below {@link #lostAfter()}.
     */
    @WithDefault("1s")
    Duration heartbeatFlushInterval();

    /** How often the monitor looks for silent nodes. */
    @WithDefault("2s")
    Duration checkInterval();

    /**
     * When more than this share of the live nodes is silent at once, control-api suspects itself (or the network in
     * front of it) rather than the nodes, and marks none LOST.
     */
    @WithDefault("0.55")
    @DecimalMin("0.0")
    @DecimalMax("1.0")
    double unhealthyShare();

    /** At most this many nodes are marked LOST in any minute; the rest wait for the next minute. */
    @WithDefault("6")
    @Min(1)
    @Max(10_000)
    int maxLostPerMinute();
}
