package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.config.ControlApiConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Every {@code check-interval}, applies {@link NodeLivenessRules} to the heartbeats control-api received and marks the
 * silent nodes LOST through {@link NodeLivenessStore}. Kafka plays no part in the decision: heartbeats arrive over HTTP
 * and are stored in PostgreSQL, so a broker outage delays the published transitions but never causes one. One daemon
 * thread; a failed check is logged and the next one tries again. Several control-api replicas may run it at once: the
 * store's conditional UPDATE lets exactly one make each transition.
 */
@ApplicationScoped
class NodeLivenessMonitor {

    private static final Logger LOG = Logger.getLogger(NodeLivenessMonitor.class);

    private final NodeLivenessStore store;
    private final NodeLivenessConfig config;
    private final NodeLivenessRules rules;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AtomicBoolean suspected = new AtomicBoolean();
    private final AtomicInteger silent = new AtomicInteger();
    private volatile Instant watchingSince;
    private ScheduledExecutorService timer;

    NodeLivenessMonitor(NodeLivenessStore store, ControlApiConfig config, Clock clock,
            MeterRegistry registry) {
        this.store = store;
        this.config = config.nodeLiveness();
        this.rules = NodeLivenessRules.of(this.config);
        this.clock = clock;
        this.registry = registry;
    }

    void start(@Observes StartupEvent startup) {
        watchingSince = clock.instant();
        registry.gauge("nanofleet.nodes.silent", silent);
        registry.gauge("nanofleet.nodes.control.plane.suspected", suspected, s -> s.get() ? 1 : 0);
        long every = config.checkInterval().toMillis();
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("node-liveness").daemon().factory());
        timer.scheduleWithFixedDelay(this::safeCheck, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("node liveness: lost after %s, checked every %s, unhealthy share %.2f, at most %d lost per minute",
                config.lostAfter(), config.checkInterval(), config.unhealthyShare(), config.maxLostPerMinute());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void safeCheck() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warnf(e, "node liveness check failed, trying again in %s", config.checkInterval());
        }
    }

    /** One pass; package-private so a test can run it at a moment of its choosing. */
    void check() {
        Instant now = clock.instant();
        NodeLivenessRules.Decision decision = rules.decide(store.live(), now, watchingSince,
                store.lostSince(now.minus(Duration.ofMinutes(1))));
        silent.set(decision.silent());
        if (suspected.getAndSet(decision.controlPlaneSuspected()) != decision.controlPlaneSuspected()) {
            if (decision.controlPlaneSuspected()) {
                LOG.errorf("nodes silent=%d: more than %.0f%% of the live nodes at once, suspecting the control plane;"
                        + " no node is marked lost until heartbeats return", decision.silent(),
                        config.unhealthyShare() * 100);
            } else {
                LOG.infof("node heartbeats are back (silent=%d): judging nodes again", decision.silent());
            }
        }
        if (decision.deferred() > 0) {
            LOG.warnf("nodes silent=%d, %d held back by the limit of %d lost per minute", decision.silent(),
                    decision.deferred(), config.maxLostPerMinute());
        }
        String reason = "no heartbeat for " + config.lostAfter().toSeconds() + "s";
        for (String node : decision.lost()) {
            if (store.markLost(node, rules.cutoff(now), now, reason)) {
                LOG.warnf("node=%s lost: %s", node, reason);
            }
        }
    }
}
