package dev.nanofleet.node.core;

import dev.nanofleet.nodeapi.InstanceNetwork;
import java.time.Duration;

/**
 * Connection draining before a stop (Kubernetes' preStop delay, Fly.io's kill timeout): an instance that publishes
 * ports may sit behind the edge, which drops it from its routes when control-api marks it to stop, but reads the routes
 * again only on the event (within about a second), and requests in flight to it still run. So the node keeps such an
 * instance running for {@link #delay()} before the stop proper (TERM, grace, KILL). An instance without published
 * ports is reachable by nobody outside its tenant's network and stops at once.
 *
 * @param delay how long a stop waits; zero turns draining off
 */
public record StopDrain(Duration delay) {

    /** No draining: every stop begins at once. */
    public static final StopDrain OFF = new StopDrain(Duration.ZERO);

    public StopDrain {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("drain delay must not be negative: " + delay);
        }
    }

    /**
     * How long a stop of the instance waits before it begins.
     *
     * @param network where the running instance is reachable (its last observation); null when it has no network
     * @param drainedBefore whether this stop already waited once (a retry after a failed stop does not wait again)
     * @return zero to stop at once
     */
    public Duration before(InstanceNetwork network, boolean drainedBefore) {
        if (drainedBefore || network == null || network.ports() == null || network.ports().isEmpty()) {
            return Duration.ZERO;
        }
        return delay;
    }
}
