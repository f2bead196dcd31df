package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentDeleted;
import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.NodeSchedulingChanged;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.messaging.EventHandler;
import dev.nanofleet.scheduler.core.PlacementDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

/**
 * Routes each consumed event to its transaction and re-runs it from a fresh view when it lost a race with another
 * scheduler (optimistic lock on a node, or a row another scheduler inserted first). Metrics are counted only after a
 * commit, so retried attempts are not counted twice. Called from the consumer's single thread.
 */
@ApplicationScoped
public class SchedulerEventHandler implements EventHandler {

    private static final Logger LOG = Logger.getLogger(SchedulerEventHandler.class);

    @Inject
    Placements placements;

    @Inject
    SchedulerConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    @Override
    public void handle(Event<?> event) {
        handle(event, null);
    }

    /** @param publishedAt when Kafka received the event; new replicas' instance.placed carry it as relayedAt */
    @Override
    public void handle(Event<?> event, Instant publishedAt) {
        Timer.Sample sample = Timer.start(registry);
        route(event, publishedAt);
        sample.stop(Timer.builder("nanofleet.scheduler.event.handling")
                .description("Time to apply one consumed event, conflict retries included")
                .tag("type", event.type().typeName())
                .register(registry));
    }

    @SuppressWarnings("unchecked")
    private void route(Event<?> event, Instant publishedAt) {
        switch (event.data()) {
            case DeploymentCreated created -> record(
                    retryOnConflict(event,
                            () -> placements.deploymentCreated((Event<DeploymentCreated>) event, publishedAt)),
                    event.time());
            case DeploymentScaled scaled -> {
                Placements.Scaled result = retryOnConflict(event,
                        () -> placements.deploymentScaled((Event<DeploymentScaled>) event, publishedAt));
                record(result.added(), event.time());
                record(result.retried(), null);
            }
            case NodeSchedulingChanged changed -> record(
                    retryOnConflict(event,
                            () -> placements.nodeSchedulingChanged((Event<NodeSchedulingChanged>) event)),
                    null);
            case DeploymentDeleted deleted -> record(
                    retryOnConflict(event, () -> placements.deploymentDeleted((Event<DeploymentDeleted>) event)), null);
            case NodeRegistered registered -> record(
                    retryOnConflict(event, () -> placements.nodeRegistered((Event<NodeRegistered>) event)), null);
            case NodeStatusChanged status -> record(
                    retryOnConflict(event, () -> placements.nodeStatusChanged((Event<NodeStatusChanged>) event)),
                    null);
            case InstanceStateChanged state -> record(
                    retryOnConflict(event,
                            () -> placements.instanceStateChanged((Event<InstanceStateChanged>) event)),
                    null);
            default -> LOG.debugf("event=%s type=%s not for the scheduler", event.id(), event.type().typeName());
        }
    }

    private <T> T retryOnConflict(Event<?> event, Supplier<T> attempt) {
        String what = "event=" + event.id() + " type=" + event.type().typeName();
        for (int i = 1;; i++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!isConflict(e) || i >= config.maxConflictRetries()) {
                    throw e;
                }
                registry.counter("nanofleet.scheduler.conflicts").increment();
                LOG.infof("%s lost a race (attempt %d), retrying from a fresh view: %s", what, i, e.getMessage());
            }
        }
    }

    static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException
                    || t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param requestedAt when the replicas were asked for (the deployment event's time), for the time-to-place timer;
     *        null for replicas that were pending or moved, whose wait says nothing about the scheduler's speed
     */
    private void record(List<PlacementDecision> decisions, Instant requestedAt) {
        Instant now = clock.instant();
        for (PlacementDecision decision : decisions) {
            switch (decision) {
                case PlacementDecision.Placed placed -> {
                    Counter.builder("nanofleet.scheduler.placements")
                            .description("Replicas placed on a node (rate = placements per second)")
                            .tag("isolation", placed.request().isolation().name().toLowerCase())
                            .register(registry)
                            .increment();
                    if (requestedAt != null) {
                        Timer.builder("nanofleet.scheduler.time.to.place")
                                .description("From the deployment event's time to the committed placement")
                                .publishPercentiles(0.5, 0.99)
                                .register(registry)
                                .record(Duration.between(requestedAt, now).isNegative()
                                        ? Duration.ZERO
                                        : Duration.between(requestedAt, now));
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
}
