package dev.nanofleet.edge.core;

import java.util.List;

/**
 * A deployment's tcp port as the control plane lists it: the edge listens on {@code edgePort} and forwards raw
 * connections to the replicas that serve (their node ports of {@code containerPort}); empty {@code backends} when none
 * does. Ports are checked here because they are written into HAProxy's configuration.
 */
public record TcpPort(int containerPort, int edgePort, List<Backend> backends) {

    public TcpPort {
        if (containerPort < 1 || containerPort > 65535 || edgePort < 1 || edgePort > 65535) {
            throw new IllegalArgumentException("container port " + containerPort + " and edge port " + edgePort
                    + " must both be TCP ports");
        }
        backends = List.copyOf(backends);
    }
}
