package dev.nanofleet.node.app;

import dev.nanofleet.node.controlplane.AssignmentWatch;
import dev.nanofleet.node.core.AssignmentFreshness;
import dev.nanofleet.node.core.Reconciler;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * When reconcile passes run: every {@code interval}, and at once when the assignment watch announces a change or
 * (re)connects. Passes run one at a time on {@code executor} (a single thread), and requests that arrive while one runs
 * fold into one more pass after it, so a burst of announcements costs one or two passes. Whether a pass fetches the
 * list is {@link AssignmentFreshness}'s call. Listens to {@link AssignmentWatch} (on the watch's thread: it only queues).
 */
final class ReconcileLoop implements AssignmentWatch.Listener {

    /** One pass; {@code fetch} says whether it must fetch the list first. Never throws. */
    interface Pass {
        Reconciler.PassSummary run(boolean fetch);
    }

    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);

    private final Pass pass;
    private final AssignmentFreshness freshness;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean queued = new AtomicBoolean();

    ReconcileLoop(Pass pass, AssignmentFreshness freshness, ScheduledExecutorService executor) {
        this.pass = pass;
        this.freshness = freshness;
        this.executor = executor;
    }

    /** The first pass now, then one every {@code interval}. */
    void start(Duration interval) {
        executor.scheduleWithFixedDelay(this::requestPass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A pass as soon as the one running (if any) is done. */
    void requestPass() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::runQueued);
        } catch (RejectedExecutionException e) {
            queued.set(false); // shutting down
        }
    }

    private void runQueued() {
        queued.set(false);
        boolean fetch = freshness.mustFetch();
        long ticket = freshness.ticket();
        Reconciler.PassSummary summary = pass.run(fetch);
        if (fetch && summary != null && summary.assignmentsFetched()) {
            freshness.fetched(ticket);
        }
    }

    @Override
    public void connected() {
        freshness.watching(true);
        freshness.changed(); // what changed while no stream was open is unknown: fetch once
        requestPass();
    }

    @Override
    public void changed(long version) {
        freshness.changed();
        requestPass();
    }

    @Override
    public void disconnected(String why) {
        if (freshness.watching()) {
            LOG.infof("event=watch.lost reason=\"%s\": polling until it is back", why);
        }
        freshness.watching(false);
    }

    @Override
    public void unsupported() {
        freshness.watching(false);
    }
}
