package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.kafka.EventFactory;
import dev.nanofleet.events.NodeLiveness;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The liveness columns of the node table, written only by targeted UPDATEs that name their own columns: a heartbeat
 * never rewrites (and so never undoes) an operator's cordon or drain that committed after it read the row, and two
 * control-api replicas judging the same node make exactly one transition (the UPDATE's WHERE re-checks the state).
 * Every transition appends its {@code node.status-changed} event in the same transaction.
 */
@ApplicationScoped
public class NodeLivenessStore {

    private static final Logger LOG = Logger.getLogger(NodeLivenessStore.class);

    private final EntityManager em;
    private final Outbox outbox;
    private final EventFactory events;

    NodeLivenessStore(EntityManager em, Outbox outbox, EventFactory events) {
        this.em = em;
        this.outbox = outbox;
        this.events = events;
    }

    /**
     * Records a heartbeat (or registration) at {@code now}; a LOST node becomes READY and that is published.
     *
     * @return false when no such node is registered
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean alive(String nodeName, Instant now) {
        int updated = em.createNativeQuery("""
                UPDATE node SET last_heartbeat = GREATEST(last_heartbeat, :now) WHERE name = :name""")
                .setParameter("now", now)
                .setParameter("name", nodeName)
                .executeUpdate();
        if (updated == 0) {
            return false;
        }
        int revived = em.createNativeQuery(
                """
                        UPDATE node SET liveness = 'READY', liveness_changed_at = :now WHERE name = :name AND liveness = 'LOST'""")
                .setParameter("now", now)
                .setParameter("name", nodeName)
                .executeUpdate();
        if (revived > 0) {
            outbox.append(events.event(null, nodeName,
                    new NodeStatusChanged(nodeName, NodeLiveness.READY, now, "heartbeat after being lost")));
            LOG.infof("node=%s ready again (heartbeat after being lost)", nodeName);
        }
        return true;
    }

    /** The nodes not LOST, with their last heartbeat. */
    @Transactional
    public List<NodeLivenessRules.Node> live() {
        return em.createQuery("SELECT n.name, n.lastHeartbeat FROM NodeEntity n WHERE n.liveness = :ready",
                Object[].class)
                .setParameter("ready", NodeLiveness.READY)
                .getResultList()
                .stream()
                .map(row -> new NodeLivenessRules.Node((String) row[0], (Instant) row[1]))
                .toList();
    }

    /** How many nodes were marked LOST after {@code since} (and are still LOST). */
    @Transactional
    public int lostSince(Instant since) {
        return em.createQuery("""
                SELECT count(n) FROM NodeEntity n WHERE n.liveness = :lost AND n.livenessChangedAt > :since""",
                Long.class)
                .setParameter("lost", NodeLiveness.LOST)
                .setParameter("since", since)
                .getSingleResult()
                .intValue();
    }

    /**
     * Marks a node an operator removed LOST, whatever its heartbeats, and publishes that unless it was LOST already:
     * the scheduler places its replicas elsewhere as for any lost node.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markRemoved(String nodeName, Instant now, String reason) {
        int updated = em.createNativeQuery("""
                UPDATE node SET liveness = 'LOST', liveness_changed_at = :now
                WHERE name = :name AND liveness = 'READY'""")
                .setParameter("now", now)
                .setParameter("name", nodeName)
                .executeUpdate();
        if (updated > 0) {
            Instant lastHeartbeat = em.createQuery("SELECT n.lastHeartbeat FROM NodeEntity n WHERE n.name = :name",
                    Instant.class).setParameter("name", nodeName).getSingleResult();
            outbox.append(events.event(null, nodeName,
                    new NodeStatusChanged(nodeName, NodeLiveness.LOST, lastHeartbeat, reason)));
            LOG.infof("node=%s lost (%s)", nodeName, reason);
        }
    }

    /**
     * Marks the node LOST if it is still READY and still silent since {@code cutoff} (a heartbeat may have arrived
     * since it was judged), and publishes that.
     *
     * @return whether this call made the transition
     */
    @Transactional
    public boolean markLost(String nodeName, Instant cutoff, Instant now, String reason) {
        int updated = em.createNativeQuery("""
                UPDATE node SET liveness = 'LOST', liveness_changed_at = :now
                WHERE name = :name AND liveness = 'READY' AND last_heartbeat < :cutoff""")
                .setParameter("now", now)
                .setParameter("name", nodeName)
                .setParameter("cutoff", cutoff)
                .executeUpdate();
        if (updated == 0) {
            return false;
        }
        Instant lastHeartbeat = em.createQuery("SELECT n.lastHeartbeat FROM NodeEntity n WHERE n.name = :name",
                Instant.class).setParameter("name", nodeName).getSingleResult();
        outbox.append(events.event(null, nodeName,
                new NodeStatusChanged(nodeName, NodeLiveness.LOST, lastHeartbeat, reason)));
        return true;
    }
}
