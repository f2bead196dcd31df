package dev.nanofleet.scheduler.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Every {@code lost-node-check-interval}, marks nodes whose heartbeats stopped for longer than
 * {@code heartbeat-grace-period} (measured with the injected {@link java.time.Clock}) lost and moves their instances.
 * One daemon thread; a failed check is logged and the next one tries again. Several scheduler instances may run it at
 * once: the node rows' versions make all but one of them retry and find nothing left to do. Also publishes the
 * pending-replica gauge (the scheduler's queue).
 */
@ApplicationScoped
class LostNodeMonitor {

    private static final Logger LOG = Logger.getLogger(LostNodeMonitor.class);

    @Inject
    SchedulerConfig config;

    @Inject
    SchedulerEventHandler handler;

    @Inject
    Placements placements;

    @Inject
    MeterRegistry registry;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent startup) {
        Gauge.builder("nanofleet.scheduler.pending", placements, Placements::pendingCount)
                .description("Replicas waiting for a node (placed as soon as capacity appears)")
                .register(registry);
        long every = config.lostNodeCheckInterval().toMillis();
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("lost-node-check").daemon().factory());
        timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("lost-node check every %s, grace period %s", config.lostNodeCheckInterval(),
                config.heartbeatGracePeriod());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void check() {
        try {
            handler.checkLostNodes();
        } catch (RuntimeException e) {
            LOG.warnf(e, "lost-node check failed, trying again in %s", config.lostNodeCheckInterval());
        }
    }
}
