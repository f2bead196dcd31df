package dev.nanofleet.edge.core;

/**
 * The proxy that serves the routes. Called from one thread at a time, only with a configuration that differs from the
 * last one applied.
 */
public interface Proxy {

    /**
     * Makes the proxy serve {@code config} without dropping connections in flight.
     *
     * @throws Exception when it was not applied (the proxy keeps serving what it served)
     */
    void apply(HaproxyConfig.Rendered config) throws Exception;
}
