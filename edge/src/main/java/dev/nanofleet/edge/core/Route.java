package dev.nanofleet.edge.core;

import java.util.List;

/** One hostname the edge answers for and the replicas it balances its requests over, in a stable order. */
public record Route(String hostname, String deploymentId, List<Backend> backends) {

    public Route {
        backends = List.copyOf(backends);
    }
}
