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
 * is healthy when its revision has a health check, and its node reported the node port of the container port in
 * question (the deployment's first http port for its hostname, each tcp port for its edge port). Its node must be known
 * and not removed.
 */
final class EdgeRouteRules {

    /**
     * A live deployment with at least one published port.
     *
     * @param httpPort its first http port; null when all its ports are tcp
     * @param tcpPorts its tcp ports that hold an edge port
     */
    record Deployment(UUID id, String tenant, String name, Integer httpPort, List<TcpPort> tcpPorts) {

        Deployment {
            tcpPorts = List.copyOf(tcpPorts);
        }

        /** A deployment whose ports are http. */
        Deployment(UUID id, String tenant, String name, int httpPort) {
            this(id, tenant, name, httpPort, List.of());
        }
    }

    /** A tcp port and the edge port it holds. */
    record TcpPort(int containerPort, int edgePort) {
    }

    /** A replica as stored, with what its revision says about health checks. */
    record Replica(UUID deploymentId, UUID instanceId, int ordinal, String node, InstanceState state,
            DesiredState desiredState, HealthCheck healthCheck, InstanceHealth health, InstanceNetwork network) {
    }

    private EdgeRouteRules() {
    }

    /** The HTTP port of a deployment: its first published port that is not tcp, or none. */
    static Optional<Integer> httpPort(List<Integer> ports, List<Integer> tcpPorts) {
        if (ports == null) {
            return Optional.empty();
        }
        return ports.stream().filter(p -> tcpPorts == null || !tcpPorts.contains(p)).findFirst();
    }

    /**
     * @param nodeAddresses the address of each node that is not removed, by name
     * @return one route per deployment, ordered by tenant, name and id; backends ordered by ordinal
     */
    static List<EdgeRoute> routes(List<Deployment> deployments, List<Replica> replicas,
            Map<String, String> nodeAddresses) {
        List<EdgeRoute> routes = new ArrayList<>();
        for (Deployment deployment : deployments) {
            List<Replica> own = replicas.stream().filter(r -> r.deploymentId().equals(deployment.id()))
                    .sorted(Comparator.comparingInt(Replica::ordinal)).toList();
            List<EdgeRoute.Backend> backends = deployment.httpPort() == null
                    ? List.of()
                    : backends(own, deployment.httpPort(), nodeAddresses);
            List<EdgeRoute.TcpPort> tcp = deployment.tcpPorts().stream()
                    .sorted(Comparator.comparingInt(TcpPort::edgePort))
                    .map(t -> new EdgeRoute.TcpPort(t.containerPort(), t.edgePort(),
                            backends(own, t.containerPort(), nodeAddresses)))
                    .toList();
            routes.add(new EdgeRoute(deployment.id(), deployment.tenant(), deployment.name(), deployment.httpPort(),
                    backends, List.of(), tcp));
        }
        routes.sort(Comparator.comparing(EdgeRoute::tenant).thenComparing(EdgeRoute::name)
                .thenComparing(EdgeRoute::deploymentId));
        return routes;
    }

    private static List<EdgeRoute.Backend> backends(List<Replica> replicas, int containerPort,
            Map<String, String> nodeAddresses) {
        return replicas.stream().flatMap(r -> backend(r, containerPort, nodeAddresses).stream()).toList();
    }

    static Optional<EdgeRoute.Backend> backend(Replica replica, int containerPort, Map<String, String> nodeAddresses) {
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
        return replica.network().ports().stream().filter(p -> p.containerPort() == containerPort).findFirst()
                .filter(p -> p.hostPort() > 0 && p.hostPort() <= 65535)
                .map(p -> new EdgeRoute.Backend(replica.instanceId(), replica.node(), address, p.hostPort()));
    }
}
