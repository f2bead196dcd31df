package dev.nanofleet.controlapi.eventlog;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Deletes events older than {@code nanofleet.events.retention}, at start-up and every {@code purge-interval}. One
 * daemon thread; several replicas purging at once delete the same rows, which is harmless.
 */
@ApplicationScoped
class EventLogPurge {

    private static final Logger LOG = Logger.getLogger(EventLogPurge.class);

    private final EventLogStore store;
    private final EventLogConfig config;
    private final Clock clock;
    private ScheduledExecutorService timer;

    EventLogPurge(EventLogStore store, EventLogConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent startup) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("event-log-purge").daemon()
                .factory());
        timer.scheduleWithFixedDelay(this::safePurge, 0, config.purgeInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** One pass; package-private so a test can run it when it wants. */
    int purge() {
        Instant cutoff = clock.instant().minus(config.retention());
        int deleted = store.purge(cutoff);
        if (deleted > 0) {
            LOG.infof("event log: purged %d events older than %s", deleted, cutoff);
        }
        return deleted;
    }

    private void safePurge() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warnf("event log purge failed, trying again in %s: %s", config.purgeInterval(), e.getMessage());
        }
    }
}
