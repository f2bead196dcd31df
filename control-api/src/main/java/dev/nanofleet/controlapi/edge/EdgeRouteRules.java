package dev.nanofleet.controlapi.edge;

import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.HealthCheck;
import dev.nanofleet.nodeapi.InstanceNetwork;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Which replicas the edge may send requests to, decided from stored state alone (no framework, unit-tested): a replica
 * serves when it runs, is meant to keep running (a replica asked to stop leaves the route before its node stops it),
 * is healthy when its revision has a health check, and its node reported the node port of the deployment's first
 * published port. Its node must be known and not removed.
 */
final class EdgeRouteRules {

    /** A live deployment with at least one published port. */
    record Deployment(UUID id, String tenant, String name, int httpPort) {
    }

    /** A replica as stored, with what its revision says about health checks. */
    record Replica(UUID deploymentId, UUID instanceId, int ordinal, String node, InstanceState state,
            DesiredState desiredState, HealthCheck healthCheck, InstanceHealth health, InstanceNetwork network) {
    }

    private EdgeRouteRules() {
    }

    /** The HTTP port of a deployment: its first published port, or none when it publishes nothing. */
    static Optional<Integer> httpPort(List<Integer> ports) {
        return ports == null || ports.isEmpty() ? Optional.empty() : Optional.of(ports.getFirst());
    }

    /**
     * @param nodeAddresses the address of each node that is not removed, by name
     * @return one route per deployment, ordered by tenant, name and id; backends ordered by ordinal
     */
    static List<EdgeRoute> routes(List<Deployment> deployments, List<Replica> replicas,
            Map<String, String> nodeAddresses) {
        List<EdgeRoute> routes = new ArrayList<>();
        for (Deployment deployment : deployments) {
            List<EdgeRoute.Backend> backends = replicas.stream()
                    .filter(r -> r.deploymentId().equals(deployment.id()))
                    .sorted(Comparator.comparingInt(Replica::ordinal))
                    .flatMap(r -> backend(r, deployment.httpPort(), nodeAddresses).stream())
                    .toList();
            routes.add(new EdgeRoute(deployment.id(), deployment.tenant(), deployment.name(), deployment.httpPort(),
                    backends, List.of()));
        }
        routes.sort(Comparator.comparing(EdgeRoute::tenant).thenComparing(EdgeRoute::name)
                .thenComparing(EdgeRoute::deploymentId));
        return routes;
    }

    static Optional<EdgeRoute.Backend> backend(Replica replica, int httpPort, Map<String, String> nodeAddresses) {
        if (replica.state() != InstanceState.RUNNING || replica.desiredState() != DesiredState.RUNNING
                || replica.node() == null || replica.network() == null || replica.network().ports() == null) {
            return Optional.empty();
        }
        if (replica.healthCheck() != null && replica.health() != InstanceHealth.HEALTHY) {
            return Optional.empty();
        }
        String address = nodeAddresses.get(replica.node());
        if (address == null) {
            return Optional.empty();
        }
        return replica.network().ports().stream().filter(p -> p.containerPort() == httpPort).findFirst()
                .filter(p -> p.hostPort() > 0 && p.hostPort() <= 65535)
                .map(p -> new EdgeRoute.Backend(replica.instanceId(), replica.node(), address, p.hostPort()));
    }
}
