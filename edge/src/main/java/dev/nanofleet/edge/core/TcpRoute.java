package dev.nanofleet.edge.core;

import java.util.List;

/**
 * One edge port the edge listens on and the replicas it balances raw TCP connections over, in a stable order.
 *
 * @param containerPort the deployment's port the connections go to (its node port on each replica's node)
 */
public record TcpRoute(int edgePort, String deploymentId, int containerPort, List<Backend> backends) {

    public TcpRoute {
        backends = List.copyOf(backends);
    }
}
