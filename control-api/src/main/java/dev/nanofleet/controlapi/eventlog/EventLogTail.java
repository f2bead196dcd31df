package dev.nanofleet.controlapi.eventlog;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Tells followers that the log grew, so each looks again with its own filters only then. This replica's consumer
 * signals after each commit (at once); one poll of the highest sequence number every {@code poll-interval} catches what
 * other replicas stored (and any signal lost). Thread-safe.
 */
@ApplicationScoped
public class EventLogTail {

    private static final Logger LOG = Logger.getLogger(EventLogTail.class);

    private final EventLogStore store;
    private final EventLogConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grew = lock.newCondition();
    private long version;
    private volatile long lastSeq;
    private volatile boolean closed;
    private ScheduledExecutorService poller;

    EventLogTail(EventLogStore store, EventLogConfig config) {
        this.store = store;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("event-log-tail").daemon()
                .factory());
        long every = config.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
        }
        signal(); // followers wake and end
    }

    /** The service is stopping: followers end their streams. */
    public boolean closed() {
        return closed;
    }

    /** Something was stored: wake every follower. */
    public void signal() {
        lock.lock();
        try {
            version++;
            grew.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A mark to wait on: take it before reading, so a store between the read and the wait is not missed. */
    public long mark() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until something was stored after {@code mark} was taken, or {@code timeout} passes.
     *
     * @return whether something was stored
     */
    public boolean awaitAfter(long mark, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (version == mark) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = grew.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void poll() {
        try {
            long seq = store.lastSeq();
            if (seq != lastSeq) {
                lastSeq = seq;
                signal();
            }
        } catch (RuntimeException e) {
            LOG.debugf("event log poll failed: %s", e.getMessage()); // the next poll tries again
        }
    }
}
