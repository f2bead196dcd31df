package dev.nanofleet.edge.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;

/**
 * Hostname -> serving replicas, and edge port -> serving replicas, as the edge routes now. Only hostnames with at least
 * one serving replica are routes: any other request (an unknown hostname, a deployment without a serving replica) gets
 * the 503 page. Likewise only a tcp port with a serving replica is listened on: a connection to any other edge port is
 * refused, which a TCP client understands at once (there is no page to show it). Immutable; equal tables render the
 * same configuration, so an unchanged table causes no reload.
 *
 * @param tcpRoutes ordered by edge port
 */
public record RouteTable(List<Route> routes, List<TcpRoute> tcpRoutes) {

    public RouteTable {
        routes = List.copyOf(routes);
        tcpRoutes = List.copyOf(tcpRoutes);
    }

    /** A table without tcp ports. */
    public RouteTable(List<Route> routes) {
        this(routes, List.of());
    }

    public static RouteTable empty() {
        return new RouteTable(List.of(), List.of());
    }

    /** The table for deployments without custom domains. */
    public static RouteTable of(Collection<DeploymentRoute> deployments, AppsDomain domain) {
        return of(deployments, domain, Map.of());
    }

    /**
     * The table for the control plane's deployments under {@code domain}. Two deployments that would share a hostname
     * (only possible for names that differ in case) keep the first by deployment id, so the choice is stable. A custom
     * domain is a route only with its certificate file at hand, and never takes a name of the apps domain (the
     * control plane refuses those; this holds even if it did not).
     *
     * @param certificates the PEM file of each custom domain's certificate, by hostname
     */
    public static RouteTable of(Collection<DeploymentRoute> deployments, AppsDomain domain,
            Map<String, Path> certificates) {
        return of(deployments, domain, certificates, Set.of());
    }

    /**
     * As {@link #of(Collection, AppsDomain, Map)}, with the tcp ports too: an edge port two deployments list (the control
     * plane gives each to one) keeps the first by deployment id, and one in {@code reservedPorts} (the edge's own
     * HTTP and HTTPS ports) is left out, so a misconfigured range cannot make HAProxy refuse the whole configuration.
     */
    public static RouteTable of(Collection<DeploymentRoute> deployments, AppsDomain domain,
            Map<String, Path> certificates, Set<Integer> reservedPorts) {
        Map<String, Route> byHost = new TreeMap<>();
        List<DeploymentRoute> ordered = new ArrayList<>(deployments);
        ordered.sort(Comparator.comparing(DeploymentRoute::deploymentId));
        for (DeploymentRoute deployment : ordered) {
            if (!deployment.backends().isEmpty()) {
                domain.hostname(deployment.name(), deployment.tenant()).ifPresent(host -> byHost.putIfAbsent(host,
                        new Route(host, deployment.deploymentId(), backends(deployment))));
            }
        }
        for (DeploymentRoute deployment : ordered) {
            if (deployment.backends().isEmpty()) {
                continue;
            }
            for (CustomDomain custom : deployment.domains()) {
                Path file = certificates.get(custom.hostname());
                if (file != null && !domain.contains(custom.hostname())) {
                    byHost.putIfAbsent(custom.hostname(), new Route(custom.hostname(), deployment.deploymentId(),
                            backends(deployment), Optional.of(file)));
                }
            }
        }
        Map<Integer, TcpRoute> byPort = new TreeMap<>();
        for (DeploymentRoute deployment : ordered) {
            for (TcpPort tcp : deployment.tcpPorts()) {
                if (!tcp.backends().isEmpty() && !reservedPorts.contains(tcp.edgePort())) {
                    byPort.putIfAbsent(tcp.edgePort(), new TcpRoute(tcp.edgePort(), deployment.deploymentId(),
                            tcp.containerPort(), sorted(tcp.backends())));
                }
            }
        }
        return new RouteTable(List.copyOf(byHost.values()), List.copyOf(byPort.values()));
    }

    private static List<Backend> backends(DeploymentRoute deployment) {
        return sorted(deployment.backends());
    }

    private static List<Backend> sorted(List<Backend> backends) {
        return backends.stream().distinct()
                .sorted(Comparator.comparing(Backend::address).thenComparingInt(Backend::port)).toList();
    }

    /** Backends of hostnames and of tcp ports together (a replica serving both counts twice). */
    public int backends() {
        return routes.stream().mapToInt(r -> r.backends().size()).sum()
                + tcpRoutes.stream().mapToInt(r -> r.backends().size()).sum();
    }
}
