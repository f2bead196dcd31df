package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.scheduler.core.NodeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Read model for operators: the nodes as the scheduler sees them. Never exposes entities. */
@ApplicationScoped
public class FleetView {

    /**
     * @param kernelOwner the tenant whose shared-kernel instances run on the node, or null
     * @param status READY, CORDONED, DRAINING or LOST
     * @param instances placed replicas on the node that have not ended
     */
    public record NodeSummary(String name, Resources allocatable, Resources used, Set<Isolation> isolations,
            Map<String, String> labels, String status, boolean schedulable, String kernelOwner, Instant lastHeartbeat,
            long instances) {
    }

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<NodeSummary> nodes() {
        Map<String, Long> instances = new HashMap<>();
        em.createQuery("""
                SELECT p.nodeName, count(p) FROM PlacementEntity p WHERE p.nodeName IS NOT NULL AND p.endedAt IS NULL
                GROUP BY p.nodeName""",
                Object[].class).getResultList().forEach(row -> instances.put((String) row[0], (Long) row[1]));
        return em.createQuery("SELECT n FROM NodeEntity n ORDER BY n.name", NodeEntity.class)
                .getResultList()
                .stream()
                .map(n -> new NodeSummary(n.name, n.allocatable(), n.used(), n.isolations, n.labels, n.status.name(),
                        n.status == NodeStatus.READY, n.kernelOwner, n.lastHeartbeat,
                        instances.getOrDefault(n.name, 0L)))
                .toList();
    }

    /** How many replicas wait for a node, as committed (every scheduler instance's); for the queue-length gauge. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long pendingCount() {
        return em.createQuery("SELECT count(p) FROM PlacementEntity p WHERE p.nodeName IS NULL", Long.class)
                .getSingleResult();
    }
}
