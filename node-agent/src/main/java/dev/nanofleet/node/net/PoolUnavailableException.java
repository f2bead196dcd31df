package dev.nanofleet.node.net;

/**
 * The node's instance pool cannot be used on this host: every {@code auto} candidate, or the configured pool, overlaps
 * a network the host already has. The agent refuses to start with it (it would fail every instance start later).
 */
public final class PoolUnavailableException extends IllegalStateException {

    public PoolUnavailableException(String message) {
        super(message);
    }
}
