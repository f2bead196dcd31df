package dev.nanofleet.edge.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;
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
        return new RouteTable(List.copyOf(byHost.values()));
    }

    private static List<Backend> backends(DeploymentRoute deployment) {
        return deployment.backends().stream().distinct()
                .sorted(Comparator.comparing(Backend::address).thenComparingInt(Backend::port)).toList();
    }

    public int backends() {
        return routes.stream().mapToInt(r -> r.backends().size()).sum();
    }
}
