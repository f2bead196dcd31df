package dev.nanofleet.edge.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hostname -> serving replicas, as the edge routes now. Only hostnames with at least one serving replica are routes:
 * any other request (an unknown hostname, a deployment without a serving replica) gets the 503 page. Immutable; equal
 * tables render the same configuration, so an unchanged table causes no reload.
 */
public record RouteTable(List<Route> routes) {

    public RouteTable {
        routes = List.copyOf(routes);
    }

    public static RouteTable empty() {
        return new RouteTable(List.of());
    }

    /**
     * The table for the control plane's deployments under {@code domain}. Two deployments that would share a hostname
     * (only possible for names that differ in case) keep the first by deployment id, so the choice is stable.
     */
    public static RouteTable of(Collection<DeploymentRoute> deployments, AppsDomain domain) {
        Map<String, Route> byHost = new TreeMap<>();
        List<DeploymentRoute> ordered = new ArrayList<>(deployments);
        ordered.sort(Comparator.comparing(DeploymentRoute::deploymentId));
        for (DeploymentRoute deployment : ordered) {
            if (deployment.backends().isEmpty()) {
                continue;
            }
            domain.hostname(deployment.name(), deployment.tenant()).ifPresent(host -> byHost.putIfAbsent(host,
                    new Route(host, deployment.deploymentId(), deployment.backends().stream().distinct()
                            .sorted(Comparator.comparing(Backend::address).thenComparingInt(Backend::port))
                            .toList())));
        }
        return new RouteTable(List.copyOf(byHost.values()));
    }

    public int backends() {
        return routes.stream().mapToInt(r -> r.backends().size()).sum();
    }
}
