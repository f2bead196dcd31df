package dev.nanofleet.tenantbilling.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one task on its own daemon thread, every {@code interval} after the previous run ended, until closed. A run
 * that throws is logged and the next one comes as usual, so one bad pass never stops the work for good.
 */
public final class Periodic implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Periodic.class);

    private final ScheduledExecutorService executor;

    private Periodic(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    public static Periodic start(String name, Duration interval, Runnable task) {
        ScheduledExecutorService executor = Executors
                .newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon().factory());
        long every = interval.toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed; next run in %s", name, interval);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return new Periodic(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
