package dev.nanofleet.controlapi.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.nanofleet.controlapi.config.ControlApiConfig;
import org.jboss.logging.Logger;

/**
 * Heartbeats noted in memory and written to PostgreSQL together, one statement per
 * {@code node-liveness.heartbeat-flush-interval}: a fleet of 10,000 nodes heartbeating every 5 s would otherwise cost
 * 2,000 transactions a second, each for a timestamp nobody reads until the liveness check. The liveness decision keeps
 * its single meeting point (the node table, shared by every control-api replica); a heartbeat reaches it at most one
 * flush interval late, which the check's {@code lost-after} (a minute) dwarfs. A heartbeat lost with this process (a
 * crash between two flushes) is repeated by the node a few seconds later.
 *
 * <p>
 * Thread-safe: HTTP threads call {@link #note}, one daemon thread flushes.
 */
@ApplicationScoped
public class HeartbeatLedger {

    private static final Logger LOG = Logger.getLogger(HeartbeatLedger.class);

    private final NodeLivenessStore store;
    private final NodeLivenessConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();
    /** Nodes seen registered; a name is looked up in the database once, then answered from here. */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private Counter heartbeats;
    private Timer flushes;
    private ScheduledExecutorService timer;

    HeartbeatLedger(NodeLivenessStore store, ControlApiConfig config, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.config = config.nodeLiveness();
        this.clock = clock;
        this.registry = registry;
    }

    void start(@Observes StartupEvent startup) {
        heartbeats = Counter.builder("nanofleet.nodes.heartbeats").description("node heartbeats received")
                .register(registry);
        flushes = Timer.builder("nanofleet.nodes.heartbeat.flush")
                .description("writing the heartbeats noted since the last flush, one statement for all nodes")
                .register(registry);
        NodeLivenessRules.checkFlushInterval(config.heartbeatFlushInterval(), config.lostAfter());
        long every = config.heartbeatFlushInterval().toMillis();
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("heartbeat-flush").daemon().factory());
        timer.scheduleWithFixedDelay(this::safeFlush, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer != null) {
            timer.shutdownNow();
        }
        safeFlush(); // what arrived since the last flush is not lost with a graceful stop
    }

    /**
     * Notes that {@code node} is alive now.
     *
     * @return false when no such node is registered (the caller answers 404)
     */
    public boolean note(String node) {
        if (!registered.contains(node)) {
            if (!store.exists(node)) {
                return false;
            }
            registered.add(node);
        }
        pending.merge(node, clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
        heartbeats.increment();
        return true;
    }

    /** Forgets a node that was removed, so its name is looked up again. */
    public void forget(String node) {
        registered.remove(node);
        pending.remove(node);
    }

    private void safeFlush() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf(e, "writing heartbeats failed, keeping them for the next flush");
        }
    }

    /** Writes what was noted since the last flush; package-private so a test can flush at a moment of its choosing. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = new HashMap<>();
        for (String node : pending.keySet()) {
            Instant at = pending.remove(node);
            if (at != null) {
                batch.put(node, at);
            }
        }
        try {
            flushes.record(() -> store.aliveAll(batch, clock.instant()));
        } catch (RuntimeException e) {
            // back into the ledger (a newer heartbeat noted meanwhile wins), so a database hiccup loses none
            batch.forEach((node, at) -> pending.merge(node, at, (a, b) -> a.isAfter(b) ? a : b));
            throw e;
        }
    }
}
