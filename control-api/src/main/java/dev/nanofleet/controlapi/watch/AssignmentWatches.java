package dev.nanofleet.controlapi.watch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The open assignment watch streams of this control-api replica, at most one per node: a node that opens a second
 * stream (its agent reconnected before the old connection was noticed dead) ends the first. {@link #changed} wakes the
 * streams of the nodes named; every replica's {@link AssignmentNotifications} calls it for every change committed by
 * any replica. Thread-safe.
 */
@ApplicationScoped
public class AssignmentWatches {

    private static final Logger LOG = Logger.getLogger(AssignmentWatches.class);

    private final Map<String, NodeWatch> open = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();
    private final AssignmentWatchConfig config;

    AssignmentWatches(AssignmentWatchConfig config, MeterRegistry registry) {
        this.config = config;
        Gauge.builder("nanofleet.assignment.watches", open, Map::size)
                .description("node agents' open assignment watch streams on this replica").register(registry);
    }

    /** A new stream for the node; the node's previous stream, if any, ends. */
    NodeWatch open(String node) {
        NodeWatch[] created = new NodeWatch[1];
        created[0] = new NodeWatch(node, config.heartbeat(), () -> open.remove(node, created[0]));
        NodeWatch previous = open.put(node, created[0]);
        if (previous != null) {
            previous.close();
            LOG.infof("assignment watch of node=%s replaced by a new one", node);
        }
        return created[0];
    }

    /** The assignments of these nodes changed: wake their streams (once each, however many changes). */
    public void changed(Collection<String> nodes) {
        long version = versions.incrementAndGet();
        for (String node : nodes) {
            NodeWatch watch = open.get(node);
            if (watch != null) {
                watch.wake(version);
            }
        }
    }

    /** Something may have changed unseen (the notification connection was down): wake every stream. */
    public void changedEverywhere() {
        changed(open.keySet());
    }

    /** How many streams are open (for tests and the gauge). */
    int openCount() {
        return open.size();
    }

    void onStop(@Observes ShutdownEvent event) {
        open.values().forEach(NodeWatch::close);
    }
}
