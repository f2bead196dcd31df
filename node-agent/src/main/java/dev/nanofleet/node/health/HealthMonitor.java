package dev.nanofleet.node.health;

import dev.nanofleet.node.core.HealthChecks;
import dev.nanofleet.nodeapi.HealthCheck;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs every watched instance's check at its interval: one scheduler thread only keeps time, each check runs on a
 * virtual thread of its own, at most {@code maxConcurrent} at once (the rest wait for a permit), and a check's next
 * run is scheduled only once it finished, so one instance never has two checks in flight and a slow check delays
 * nobody else's (nor the reconcile loop, which only calls {@link #watch}/{@link #unwatch}). Results go through a
 * {@link HealthTracker} per run; its verdicts go to the listener, on the check's thread.
 *
 * <p>
 * The first check of a run is made at once (start periods exist for slow starters); then every
 * {@code intervalSeconds} from the start of the previous check, or right after it when it took longer.
 */
public final class HealthMonitor implements HealthChecks, AutoCloseable {

    private static final Logger LOG = System.getLogger(HealthMonitor.class.getName());

    private final Probe probe;
    private final Clock clock;
    private final Semaphore permits;
    private final ProbeObserver observer;
    private final ScheduledExecutorService timer;
    private final ExecutorService checks;
    private final Map<UUID, Watched> watched = new ConcurrentHashMap<>();
    private volatile Listener listener = verdict -> {
    };

    /** Hears every check's outcome, e.g. for a counter by type and result. Must not block. */
    @FunctionalInterface
    public interface ProbeObserver {
        void observed(HealthCheck.Type type, ProbeResult result, Duration took);
    }

    public HealthMonitor(Probe probe, Clock clock, int maxConcurrent, ProbeObserver observer) {
        this.probe = probe;
        this.clock = clock;
        this.permits = new Semaphore(Math.max(1, maxConcurrent));
        this.observer = observer;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "health-timer");
            t.setDaemon(true);
            return t;
        });
        this.checks = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("health-check-", 0).factory());
    }

    @Override
    public void listen(Listener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    @Override
    public void watch(Watch watch) {
        Watched fresh = new Watched(watch, new HealthTracker(watch.instanceId(), watch.run(), watch.check(),
                watch.startedAt()));
        boolean[] added = {false};
        watched.compute(watch.instanceId(), (id, current) -> {
            if (current != null && current.watch.run() == watch.run() && current.watch.check().equals(watch.check())
                    && Objects.equals(current.watch.address(), watch.address())) {
                return current;
            }
            if (current != null) {
                current.cancel();
            }
            added[0] = true;
            return fresh;
        });
        if (added[0]) {
            LOG.log(Level.DEBUG, "event=health.watch instance={0} run={1} type={2}", watch.instanceId(), watch.run(),
                    watch.check().type());
            schedule(fresh, Duration.ZERO);
        }
    }

    @Override
    public void unwatch(UUID instanceId) {
        Watched gone = watched.remove(instanceId);
        if (gone != null) {
            gone.cancel();
        }
    }

    /** How many runs are watched now. */
    public int watching() {
        return watched.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        checks.shutdownNow();
        watched.clear();
    }

    private void schedule(Watched w, Duration delay) {
        if (watched.get(w.watch.instanceId()) != w) {
            return;
        }
        try {
            ScheduledFuture<?> next = timer.schedule(() -> submit(w), delay.toMillis(), TimeUnit.MILLISECONDS);
            w.next(next);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void submit(Watched w) {
        try {
            checks.execute(() -> runCheck(w));
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void runCheck(Watched w) {
        if (watched.get(w.watch.instanceId()) != w) {
            return;
        }
        HealthCheck check = w.watch.check();
        Instant began = clock.instant();
        ProbeResult result;
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long t0 = System.nanoTime();
        try {
            if (watched.get(w.watch.instanceId()) != w) {
                return;
            }
            result = probe.probe(w.watch, Duration.ofSeconds(Math.max(1, check.timeoutSeconds())));
        } finally {
            permits.release();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        try {
            observer.observed(check.type(), result, took);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=health.observer.failed reason=\"{0}\"", e.toString());
        }
        HealthChecks.Verdict verdict;
        synchronized (w) {
            if (watched.get(w.watch.instanceId()) != w) {
                return; // unwatched (stopped, restarted) while it ran: its result is about a run that is gone
            }
            verdict = w.tracker.record(result, clock.instant());
        }
        if (verdict != null) {
            LOG.log(verdict.endProcess() ? Level.WARNING : Level.INFO,
                    "event=health.changed instance={0} run={1} health={2} reason=\"{3}\" end={4}",
                    verdict.instanceId(), verdict.run(), verdict.health(), verdict.reason(), verdict.endProcess());
            try {
                listener.verdict(verdict);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=health.listener.failed instance={0} reason=\"{1}\"",
                        verdict.instanceId(), e.toString());
            }
        }
        Duration interval = Duration.ofSeconds(Math.max(1, check.intervalSeconds()));
        Duration elapsed = Duration.between(began, clock.instant());
        schedule(w, elapsed.compareTo(interval) >= 0 ? Duration.ZERO : interval.minus(elapsed));
    }

    /** One watched run: its tracker and the scheduled next check. */
    private static final class Watched {
        final Watch watch;
        final HealthTracker tracker;
        private ScheduledFuture<?> next;
        private boolean cancelled;

        Watched(Watch watch, HealthTracker tracker) {
            this.watch = watch;
            this.tracker = tracker;
        }

        synchronized void next(ScheduledFuture<?> future) {
            if (cancelled) {
                future.cancel(false);
            } else {
                next = future;
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }
}
