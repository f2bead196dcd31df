package dev.nanofleet.controlapi.logs;

import dev.nanofleet.controlapi.deployment.InstanceEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Ended instances whose output their node keeps, by {@link LogRetention}: control-api lists them to their node as
 * {@code ENDED} (the node keeps their files and runs nothing) and stops listing them once the retention lets go, which
 * is when the node removes the files. Callers hold a transaction.
 */
@ApplicationScoped
public class EndedInstances {

    /** Newest first; ties broken by id so every caller ranks alike. */
    private static final Comparator<Ended> NEWEST_FIRST = Comparator.comparing(Ended::endedAt).reversed()
            .thenComparing(Ended::id);

    private final EntityManager em;
    private final Clock clock;
    private final LogRetention retention;

    EndedInstances(EntityManager em, Clock clock, LogsConfig config) {
        this.em = em;
        this.clock = clock;
        this.retention = new LogRetention(config.retention(), config.keptPerDeployment());
    }

    /** The ended instances on {@code node} whose output is still kept, in a stable order. */
    public List<InstanceEntity> keptOn(String node) {
        Instant now = clock.instant();
        // every assignment fetch runs this: the ended states as literals let Hibernate keep its translation to SQL
        List<InstanceEntity> candidates = em.createQuery("SELECT i FROM InstanceEntity i JOIN FETCH i.deployment d"
                + " WHERE i.nodeName = :node AND i.state IN " + InstanceEntity.endedStatesJpql()
                + " AND (d.deletedAt IS NULL OR d.deletedAt > :cutoff) ORDER BY d.createdAt, d.id, i.ordinal, i.id",
                InstanceEntity.class).setParameter("node", node)
                .setParameter("cutoff", now.minus(retention.retention())).getResultList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<UUID, Integer> rank = rankInDeployments(
                candidates.stream().map(i -> i.deployment().id).distinct().toList());
        List<InstanceEntity> kept = new ArrayList<>();
        for (InstanceEntity i : candidates) {
            if (retention.keeps(i.deployment().deletedAt, rank.getOrDefault(i.id(), 0), now)) {
                kept.add(i);
            }
        }
        return kept;
    }

    /** Null when the ended instance's output is kept; otherwise why it is gone. */
    public String whyDeleted(InstanceEntity instance) {
        Instant now = clock.instant();
        int newer = rankInDeployments(List.of(instance.deployment().id)).getOrDefault(instance.id(), 0);
        return retention.keeps(instance.deployment().deletedAt, newer, now)
                ? null
                : retention.whyDeleted(instance.deployment().deletedAt, newer, now);
    }

    /** For each placed ended instance of these deployments: how many of its deployment's ended after it. */
    private Map<UUID, Integer> rankInDeployments(List<UUID> deployments) {
        List<Ended> ended = em
                .createQuery("SELECT i.id, i.deployment.id, i.updatedAt FROM InstanceEntity i"
                        + " WHERE i.deployment.id IN :deployments AND i.state IN " + InstanceEntity.endedStatesJpql()
                        + " AND i.nodeName IS NOT NULL", Object[].class)
                .setParameter("deployments", deployments).getResultStream()
                .map(row -> new Ended((UUID) row[0], (UUID) row[1], (Instant) row[2])).toList();
        Map<UUID, List<Ended>> byDeployment = new HashMap<>();
        ended.forEach(e -> byDeployment.computeIfAbsent(e.deploymentId(), k -> new ArrayList<>()).add(e));
        Map<UUID, Integer> rank = new HashMap<>();
        for (List<Ended> siblings : byDeployment.values()) {
            siblings.sort(NEWEST_FIRST);
            for (int i = 0; i < siblings.size(); i++) {
                rank.put(siblings.get(i).id(), i);
            }
        }
        return rank;
    }

    /** One ended instance, for ranking. */
    private record Ended(UUID id, UUID deploymentId, Instant endedAt) {
    }
}
