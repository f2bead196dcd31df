package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Event;
import dev.nanofleet.messaging.BatchEventHandler;
import dev.nanofleet.scheduler.core.PlacementDecision;
import dev.nanofleet.scheduler.core.Scheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

/**
 * Applies a whole consumer poll at once: the events' effects on the in-memory {@link FleetState}, one planning pass of
 * the core for the replicas they ask for ({@link BatchRun}), and one transaction that records the event ids, writes
 * the changed rows and appends the outgoing events as batched statements ({@link FleetStore}). Nomad's plan queue in
 * small: plans are optimistic (made on the view), applied serially (one batch at a time per instance, guarded by row
 * versions against other instances), and a rejected plan is made again after re-reading the rows that were stale.
 * <p>
 * When a batch fails for another reason the consumer applies its events one at a time ({@link #handle}: a batch of
 * one through the same code), so one bad event costs only itself. Metrics are counted only after a commit, so retried
 * attempts are not counted twice. One batch at a time: the consumer's thread, and tests that call in from several.
 */
@ApplicationScoped
public class SchedulerEventHandler implements BatchEventHandler {

    private static final Logger LOG = Logger.getLogger(SchedulerEventHandler.class);

    @Inject
    FleetStore store;

    @Inject
    Scheduler scheduler;

    @Inject
    SchedulerConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    @Inject
    DataSource dataSource;

    @Inject
    Messaging messaging;

    private final ReentrantLock oneBatchAtATime = new ReentrantLock();
    private final FleetState state = new FleetState();

    @Override
    public void handle(Event<?> event) {
        handle(event, null);
    }

    /** @param publishedAt when Kafka received the event; new replicas' instance.placed carry it as relayedAt */
    @Override
    public void handle(Event<?> event, Instant publishedAt) {
        handleAll(List.of(new Delivery(event, publishedAt)));
    }

    @Override
    public void handleAll(List<Delivery> deliveries) {
        List<Delivery> concerning = deliveries.stream().filter(d -> BatchRun.concerns(d.event())).toList();
        if (concerning.isEmpty()) {
            return; // e.g. the scheduler's own instance.placed coming back on the instances topic
        }
        oneBatchAtATime.lock();
        try {
            long started = System.nanoTime();
            if (!state.loaded()) {
                load();
            }
            Applied applied = applyRetryingStaleViews(concerning);
            messaging.wakeRelay();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            record(applied, concerning, took);
            LOG.debugf("batch events=%d applied in %d ms, commit %d ms", concerning.size(), took.toMillis(),
                    applied.commit().toMillis());
        } finally {
            oneBatchAtATime.unlock();
        }
    }

    /** Reads the whole fleet: at the first batch, and after a failure that left the view in doubt. */
    private void load() {
        long started = System.nanoTime();
        store.loadAll(state);
        LOG.infof("fleet view loaded: nodes=%d replicas=%d in %d ms", state.nodes().size(), state.replicaCount(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** What a committed batch did, for metrics. */
    private record Applied(int events, List<BatchRun.Outcome> outcomes, Duration commit) {
    }

    private Applied applyRetryingStaleViews(List<Delivery> deliveries) {
        int attempts = config.maxConflictRetries();
        for (int attempt = 1;; attempt++) {
            boolean last = attempt >= attempts;
            long[] commitStarted = new long[1];
            try {
                Applied applied = QuarkusTransaction.requiringNew()
                        .call(() -> attempt(deliveries, last, commitStarted));
                state.committed();
                return new Applied(applied.events(), applied.outcomes(),
                        Duration.ofNanos(System.nanoTime() - commitStarted[0]));
            } catch (RuntimeException e) {
                StaleView stale = StaleView.in(e);
                reReadAfterFailure(e, stale);
                if (stale == null && !isConflict(e) || last) {
                    throw e;
                }
                registry.counter("nanofleet.scheduler.conflicts").increment();
                LOG.infof("batch of %d events lost a race (attempt %d of %d), planning it again: %s",
                        deliveries.size(), attempt, attempts, stale != null ? stale.getMessage() : e.getMessage());
            }
        }
    }

    /**
     * Nothing of the batch committed: the view forgets its changes and re-reads the rows it touched (as committed now)
     * and the stale ones. When even that fails the view is dropped and read whole at the next batch.
     */
    private void reReadAfterFailure(RuntimeException failure, StaleView stale) {
        FleetState.Touched touched = state.touched();
        state.forgetChanges();
        Set<String> nodes = new LinkedHashSet<>(touched.nodes());
        Set<UUID> replicas = new LinkedHashSet<>(touched.replicas());
        if (stale != null) {
            nodes.addAll(stale.nodes());
            replicas.addAll(stale.replicas());
            registry.counter("nanofleet.scheduler.view.refreshed").increment(stale.nodes().size()
                    + stale.replicas().size());
        }
        try {
            store.refresh(state, nodes, replicas);
        } catch (RuntimeException e) {
            state.clear();
            failure.addSuppressed(e);
        }
    }

    /** One try inside the batch's transaction; throws {@link StaleView} when it must not commit. */
    private Applied attempt(List<Delivery> deliveries, boolean last, long[] commitStarted) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            List<UUID> ids = deliveries.stream().map(d -> d.event().id()).toList();
            Set<UUID> firstTime = store.firstTime(connection, ids);
            List<Delivery> fresh = new ArrayList<>();
            for (Delivery delivery : deliveries) {
                // a redelivered event changes nothing, nor does the same event twice in one poll
                if (firstTime.remove(delivery.event().id())) {
                    fresh.add(delivery);
                } else {
                    LOG.debugf("event=%s already applied", delivery.event().id());
                }
            }
            if (fresh.isEmpty()) {
                commitStarted[0] = System.nanoTime();
                return new Applied(0, List.of(), Duration.ZERO);
            }
            int refreshed = store.catchUp(connection, state,
                    BatchRun.named(fresh.stream().<Event<?>>map(Delivery::event).toList()));
            if (refreshed > 0) {
                registry.counter("nanofleet.scheduler.view.refreshed").increment(refreshed);
                LOG.infof("re-read %d rows another scheduler changed before planning", refreshed);
            }
            long planning = System.nanoTime();
            BatchRun run = new BatchRun(state, scheduler, clock.instant().truncatedTo(ChronoUnit.MICROS));
            for (Delivery delivery : fresh) {
                run.apply(delivery.event(), delivery.publishedAt());
            }
            run.finish();
            long planned = System.nanoTime();
            if (run.refusalAnnounced() && !last) {
                Set<String> changed = store.changedNodes(connection, state);
                if (!changed.isEmpty()) {
                    throw new StaleView(changed, Set.of(), "a refusal was decided on nodes another scheduler changed");
                }
            }
            commitStarted[0] = System.nanoTime();
            FleetStore.Conflicts conflicts = store.write(connection, state.changes(), run.outbox());
            if (!conflicts.isEmpty()) {
                throw new StaleView(conflicts.nodes(), conflicts.replicas(), "rows changed by another scheduler");
            }
            LOG.debugf("batch events=%d outgoing=%d: catch-up %d ms, plan %d ms, write %d ms", fresh.size(),
                    run.outbox().size(), (planning - started) / 1_000_000, (planned - planning) / 1_000_000,
                    (System.nanoTime() - commitStarted[0]) / 1_000_000);
            return new Applied(fresh.size(), run.outcomes(), Duration.ZERO);
        }
    }

    /** A lost race that is not one of ours: a serialization failure or deadlock, or (from before) a lock error. */
    static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StaleView || t instanceof OptimisticLockException || t instanceof StaleStateException
                    || t instanceof ConstraintViolationException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().equals("40001") || sql.getSQLState().equals("40P01"))) {
                return true;
            }
        }
        return false;
    }

    private void record(Applied applied, List<Delivery> deliveries, Duration took) {
        DistributionSummary.builder("nanofleet.scheduler.batch.size")
                .description("Events the scheduler applied per consumer poll (one transaction each)")
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(deliveries.size());
        Timer.builder("nanofleet.scheduler.batch.commit")
                .description("Writing a batch's rows and events and committing its transaction")
                .publishPercentiles(0.5, 0.99)
                .register(registry)
                .record(applied.commit());
        for (Delivery delivery : deliveries) {
            Timer.builder("nanofleet.scheduler.event.handling")
                    .description("Time to apply one consumed event: its whole batch, conflict retries included")
                    .tag("type", delivery.event().type().typeName())
                    .register(registry)
                    .record(took);
        }
        Instant now = clock.instant();
        for (BatchRun.Outcome outcome : applied.outcomes()) {
            switch (outcome.decision()) {
                case PlacementDecision.Placed placed -> {
                    Counter.builder("nanofleet.scheduler.placements")
                            .description("Replicas placed on a node (rate = placements per second)")
                            .tag("isolation", placed.request().isolation().name().toLowerCase())
                            .register(registry)
                            .increment();
                    if (outcome.requestedAt() != null) {
                        Duration waited = Duration.between(outcome.requestedAt(), now);
                        Timer.builder("nanofleet.scheduler.time.to.place")
                                .description("From the deployment event's time to the committed placement")
                                .publishPercentiles(0.5, 0.99)
                                .register(registry)
                                .record(waited.isNegative() ? Duration.ZERO : waited);
                    }
                }
                case PlacementDecision.Unschedulable unschedulable -> Counter
                        .builder("nanofleet.scheduler.unschedulable")
                        .description("Replicas no node could take, by the reason that rejected the most nodes")
                        .tag("reason", unschedulable.explanation().mainReason())
                        .register(registry)
                        .increment();
            }
        }
    }

    /** Drops the view: the next batch reads the whole fleet again. For tests that change rows behind its back. */
    void forgetView() {
        oneBatchAtATime.lock();
        try {
            state.clear();
        } finally {
            oneBatchAtATime.unlock();
        }
    }
}
