package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.kafka.EventFactory;
import dev.nanofleet.events.NodeLiveness;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
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

    /** Whether a node of that name is registered (and not removed). */
    @Transactional
    public boolean exists(String nodeName) {
        return !em.createQuery("SELECT 1 FROM NodeEntity n WHERE n.name = :name AND n.removedAt IS NULL", Integer.class)
                .setParameter("name", nodeName).setMaxResults(1).getResultList().isEmpty();
    }

    /**
     * Records many heartbeats in two statements (their times, then the LOST nodes among them made READY, each
     * published as {@link #alive} does). Names no longer registered, or removed (a heartbeat noted just before the
     * removal), are skipped: a removed node never comes back READY.
     */
    @Transactional
    public void aliveAll(Map<String, Instant> heartbeats, Instant now) {
        if (heartbeats.isEmpty()) {
            return;
        }
        String[] names = heartbeats.keySet().toArray(String[]::new);
        Long[] micros = new Long[names.length];
        for (int i = 0; i < names.length; i++) {
            Instant at = heartbeats.get(names[i]);
            micros[i] = at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
        }
        List<String> revived = em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement times = connection.prepareStatement("""
                    UPDATE node SET last_heartbeat = GREATEST(node.last_heartbeat, to_timestamp(v.micros / 1e6))
                    FROM unnest(?::text[], ?::bigint[]) AS v(name, micros)
                    WHERE node.name = v.name AND node.removed_at IS NULL""");
                    PreparedStatement lost = connection.prepareStatement("""
                            UPDATE node SET liveness = 'READY', liveness_changed_at = ?
                            WHERE name = ANY(?::text[]) AND liveness = 'LOST' AND removed_at IS NULL
                            RETURNING name""")) {
                times.setArray(1, connection.createArrayOf("text", names));
                times.setArray(2, connection.createArrayOf("bigint", micros));
                times.executeUpdate();
                lost.setTimestamp(1, Timestamp.from(now));
                lost.setArray(2, connection.createArrayOf("text", names));
                List<String> back = new ArrayList<>();
                try (ResultSet rows = lost.executeQuery()) {
                    while (rows.next()) {
                        back.add(rows.getString(1));
                    }
                }
                return back;
            }
        });
        for (String nodeName : revived) {
            outbox.append(events.event(null, nodeName,
                    new NodeStatusChanged(nodeName, NodeLiveness.READY, now, "heartbeat after being lost")));
            LOG.infof("node=%s ready again (heartbeat after being lost)", nodeName);
        }
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
