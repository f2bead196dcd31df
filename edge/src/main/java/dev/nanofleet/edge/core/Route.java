package dev.nanofleet.edge.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One hostname the edge answers for and the replicas it balances its requests over, in a stable order.
 *
 * @param certificate the PEM file served for a custom domain; empty for a name in the apps domain, which the edge's
 *        wildcard certificate covers
 */
public record Route(String hostname, String deploymentId, List<Backend> backends, Optional<Path> certificate) {

    public Route {
        backends = List.copyOf(backends);
    }

    /** A hostname in the apps domain. */
    public Route(String hostname, String deploymentId, List<Backend> backends) {
        this(hostname, deploymentId, backends, Optional.empty());
    }
}
