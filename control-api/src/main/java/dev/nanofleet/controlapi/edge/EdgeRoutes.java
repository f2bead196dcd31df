package dev.nanofleet.controlapi.edge;

import dev.nanofleet.controlapi.deployment.DeploymentEntity;
import dev.nanofleet.controlapi.deployment.DeploymentRevisionEntity;
import dev.nanofleet.controlapi.deployment.InstanceEntity;
import dev.nanofleet.controlapi.domain.CustomDomainView;
import dev.nanofleet.controlapi.domain.CustomDomains;
import dev.nanofleet.controlapi.node.AgentUrlRules;
import dev.nanofleet.controlapi.node.NodeEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.HashSet;

/**
 * Reads the edge's routes from the stored deployments, their live replicas (with the revision each runs, whose health
 * check counts) and the nodes' addresses; {@link EdgeRouteRules} decides which replica serves. Read-only.
 */
@ApplicationScoped
public class EdgeRoutes {

    private static final String LIVE_REPLICAS = """
            SELECT i, r FROM InstanceEntity i JOIN FETCH i.deployment d
            LEFT JOIN DeploymentRevisionEntity r ON r.deploymentId = d.id AND r.number = i.revision
            WHERE d.id IN :ids AND i.nodeName IS NOT NULL AND i.state NOT IN\s"""
            + InstanceEntity.endedStatesJpql();

    private final EntityManager em;
    private final CustomDomains domains;

    EdgeRoutes(EntityManager em, CustomDomains domains) {
        this.em = em;
        this.domains = domains;
    }

    /**
     * Reads only what a route needs: the deployments that publish a port (found by the database, so a fleet of
     * deployments without one costs one small query), their live replicas and the nodes those run on. The edge asks
     * after every event that may change a route.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EdgeRoute> all() {
        @SuppressWarnings("unchecked")
        List<UUID> published = em.createNativeQuery(
                "SELECT id FROM deployment WHERE deleted_at IS NULL AND ports <> '[]'::jsonb", UUID.class)
                .getResultList();
        if (published.isEmpty()) {
            return List.of();
        }
        List<EdgeRouteRules.Deployment> deployments = new ArrayList<>();
        for (DeploymentEntity d : em
                .createQuery("SELECT DISTINCT d FROM DeploymentEntity d LEFT JOIN FETCH d.edgePorts WHERE d.id IN :ids",
                        DeploymentEntity.class)
                .setParameter("ids", published).getResultList()) {
            deployments.add(new EdgeRouteRules.Deployment(d.id, d.tenant, d.name,
                    EdgeRouteRules.httpPort(d.ports, d.tcpPorts).orElse(null), d.edgePorts.stream()
                            .map(e -> new EdgeRouteRules.TcpPort(e.containerPort, e.edgePort)).toList()));
        }
        List<EdgeRouteRules.Replica> replicas = new ArrayList<>();
        for (Object[] row : em.createQuery(LIVE_REPLICAS, Object[].class).setParameter("ids", published)
                .getResultList()) {
            InstanceEntity i = (InstanceEntity) row[0];
            DeploymentRevisionEntity revision = (DeploymentRevisionEntity) row[1];
            replicas.add(new EdgeRouteRules.Replica(i.deployment().id, i.id(), i.ordinal(), i.nodeName(), i.state(),
                    i.desiredState(), revision == null ? i.deployment().healthCheck : revision.spec.healthCheck(),
                    i.health(), i.network()));
        }
        Set<String> nodes = new HashSet<>();
        replicas.forEach(r -> nodes.add(r.node()));
        Map<UUID, List<CustomDomainView>> custom = domains.ofDeployments(published);
        return EdgeRouteRules.routes(deployments, replicas, nodeAddresses(nodes)).stream()
                .map(route -> route.withDomains(custom.getOrDefault(route.deploymentId(), List.of()).stream()
                        .map(d -> new EdgeRoute.Domain(d.hostname(), d.certificateSha256())).toList()))
                .toList();
    }

    private Map<String, String> nodeAddresses(Set<String> names) {
        Map<String, String> addresses = new HashMap<>();
        if (names.isEmpty()) {
            return addresses;
        }
        for (NodeEntity node : em
                .createQuery("SELECT n FROM NodeEntity n WHERE n.removedAt IS NULL AND n.name IN :names",
                        NodeEntity.class)
                .setParameter("names", names).getResultList()) {
            address(node.agentUrl).ifPresent(address -> addresses.put(node.name, address));
        }
        return addresses;
    }

    /** The node's IP address as its (validated at registration) agent URL names it; none if it cannot be parsed. */
    private static Optional<String> address(String agentUrl) {
        if (agentUrl == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(AgentUrlRules.parse(agentUrl).host().getHostAddress());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
