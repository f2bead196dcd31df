package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.controlapi.kafka.EventFactory;
import dev.nanofleet.controlapi.rollout.RolloutPlanner;
import dev.nanofleet.controlapi.rollout.RolloutPolicy;
import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentRevised;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.RolloutProgressed;
import dev.nanofleet.events.RolloutState;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.nodeapi.DesiredState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Rolls a deployment's current revision out: takes the step {@link RolloutPlanner} names (start replicas of the
 * revision, stop old ones), records progress on the deployment and publishes it, and when the rollout fails with
 * {@code autoRollback} on, makes the last completely rolled-out revision current again (as a new revision, as Nomad's
 * {@code auto_revert} does). The one writer of a deployment's rollout fields. Runs inside the caller's transaction:
 * the tenant's request that starts a rollout, or {@link RolloutWorker} after a node's report and on its timer.
 */
@ApplicationScoped
public class Rollouts {

    private static final Logger LOG = Logger.getLogger(Rollouts.class);

    private final EntityManager em;
    private final Outbox outbox;
    private final EventFactory events;
    private final Clock clock;
    private final Revisions revisions;
    private final Event<RolloutWorker.Nudge> nudges;
    private final MeterRegistry registry;

    private final EdgePorts edgePorts;

    Rollouts(EntityManager em, Outbox outbox, EventFactory events, Clock clock, Revisions revisions,
            Event<RolloutWorker.Nudge> nudges, MeterRegistry registry, EdgePorts edgePorts) {
        this.edgePorts = edgePorts;
        this.registry = registry;
        this.em = em;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
        this.revisions = revisions;
        this.nudges = nudges;
    }

    /**
     * Starts rolling out the deployment's current revision (just made by a create, update, rollback or restart) and
     * takes its first step.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void begin(DeploymentEntity d, String actor) {
        begin(d, actor, null);
    }

    /** @param why why this rollout began, shown with it while it runs (an automatic rollback says what failed) */
    private void begin(DeploymentEntity d, String actor, String why) {
        Instant now = clock.instant();
        d.rolloutState = RolloutState.PROGRESSING;
        d.rolloutReason = why;
        d.rolloutStartedAt = now;
        d.rolloutProgressedAt = now;
        d.rolloutReady = 0;
        publish(d, 0, 0, actor);
        step(d, actor, now);
    }

    /**
     * Something about the deployment's replicas changed (a node's report): its rollout, if one runs, looks again
     * once this transaction commits.
     */
    public void advance(DeploymentEntity d) {
        if (d.rolloutState == RolloutState.PROGRESSING) {
            nudges.fire(new RolloutWorker.Nudge(d.id));
        }
    }

    /** The rollout's next step now; nothing when none runs. */
    @Transactional(Transactional.TxType.MANDATORY)
    void look(UUID deploymentId) {
        // locked as the API's changes lock it: a step must not add replicas beside a deletion
        DeploymentEntity d = em.find(DeploymentEntity.class, deploymentId, LockModeType.PESSIMISTIC_WRITE);
        if (d != null && d.rolloutState == RolloutState.PROGRESSING) {
            step(d, null, clock.instant());
        }
    }

    /** Stopping or deleting the deployment ends its rollout. */
    @Transactional(Transactional.TxType.MANDATORY)
    void cancel(DeploymentEntity d, String why, String actor) {
        if (d.rolloutState == RolloutState.PROGRESSING) {
            d.rolloutState = RolloutState.CANCELLED;
            d.rolloutReason = why;
            publish(d, updated(d), d.rolloutReady, actor);
        }
    }

    private void step(DeploymentEntity d, String actor, Instant now) {
        if (d.deleted() || d.stopped()) {
            cancel(d, d.deleted() ? "deployment deleted" : "deployment stopped", actor);
            return;
        }
        RolloutPolicy policy = d.rolloutPolicy();
        List<RolloutPlanner.Replica> replicas = new ArrayList<>();
        for (InstanceEntity i : d.instances) {
            if (i.desiredState() != DesiredState.RUNNING) {
                continue;
            }
            boolean checked = revisions.spec(d, i.revision()).healthCheck() != null;
            replicas.add(new RolloutPlanner.Replica(i.id(), i.revision(), i.ordinal(),
                    i.ready(checked, policy.minReadySeconds(), now), failure(i)));
        }
        RolloutPlanner.Step step = RolloutPlanner.next(new RolloutPlanner.Situation(d.replicas, d.revision, policy,
                replicas, d.rolloutProgressedAt, now));

        List<DeploymentCreated.Replica> added = new ArrayList<>();
        for (int n = 0; n < step.start(); n++) {
            InstanceEntity instance = d.addPending(now);
            em.persist(instance);
            added.add(new DeploymentCreated.Replica(instance.id(), instance.ordinal()));
        }
        for (UUID id : step.stop()) {
            d.instances.stream().filter(i -> i.id().equals(id)).findFirst()
                    .ifPresent(i -> i.requestStop("replaced by revision " + d.revision + " before it was placed", now));
        }
        if (!added.isEmpty() || !step.stop().isEmpty()) {
            outbox.append(events.event(d.tenant, d.id.toString(), d.scaled(added, step.stop())).by(actor));
        }
        boolean progressed = step.ready() > d.rolloutReady || replacedOld(d, step);
        if (progressed) {
            d.rolloutProgressedAt = now;
        }
        boolean readyChanged = step.ready() != d.rolloutReady;
        d.rolloutReady = step.ready();
        switch (step.state()) {
            case COMPLETE -> {
                d.rolloutState = RolloutState.COMPLETE;
                Timer.builder("nanofleet.rollout.duration")
                        .description("From a rollout's start to every replica of its revision ready")
                        .tag("isolation", d.isolation.name().toLowerCase(Locale.ROOT))
                        .publishPercentiles(0.5, 0.99).register(registry)
                        .record(Duration.between(d.rolloutStartedAt, now));
                d.lastCompleteRevision = d.revision;
                publish(d, step.updated(), step.ready(), actor);
                LOG.infof("event=deployment.rollout-complete deployment=%s revision=%d replicas=%d", d.id, d.revision,
                        d.replicas);
            }
            case FAILED -> fail(d, step, actor, now);
            default -> {
                if (readyChanged || !added.isEmpty() || !step.stop().isEmpty()) {
                    publish(d, step.updated(), step.ready(), actor);
                }
            }
        }
    }

    private static boolean replacedOld(DeploymentEntity d, RolloutPlanner.Step step) {
        return d.instances.stream().anyMatch(i -> step.stop().contains(i.id()) && i.revision() != d.revision);
    }

    private void fail(DeploymentEntity d, RolloutPlanner.Step step, String actor, Instant now) {
        d.rolloutReason = step.reason();
        Integer back = d.lastCompleteRevision;
        if (!d.rolloutPolicy().autoRollback() || back == null || back == d.revision) {
            d.rolloutState = RolloutState.FAILED;
            publish(d, step.updated(), step.ready(), actor);
            LOG.warnf("event=deployment.rollout-failed deployment=%s revision=%d reason=%s", d.id, d.revision,
                    step.reason());
            return;
        }
        d.rolloutState = RolloutState.ROLLED_BACK;
        publish(d, step.updated(), step.ready(), actor);
        int failed = d.revision;
        LOG.warnf("event=deployment.rollout-failed deployment=%s revision=%d reason=%s rolling back to=%d", d.id,
                failed, step.reason(), back);
        revert(d, back, DeploymentRevisionEntity.Cause.AUTO_ROLLBACK, null, now,
                "rolling back from revision " + failed + ": " + step.reason());
    }

    /**
     * Makes the spec of revision {@code to} current as a new revision and rolls it out.
     *
     * @return the new revision
     */
    @Transactional(Transactional.TxType.MANDATORY)
    DeploymentRevisionEntity revert(DeploymentEntity d, int to, DeploymentRevisionEntity.Cause cause, String actor,
            Instant now) {
        return revert(d, to, cause, actor, now, null);
    }

    private DeploymentRevisionEntity revert(DeploymentEntity d, int to, DeploymentRevisionEntity.Cause cause,
            String actor, Instant now, String why) {
        RevisionSpec before = RevisionSpec.of(d);
        RevisionSpec target = revisions.spec(d, to);
        target.applyTo(d);
        // a rollback the platform makes cannot be refused: a tcp port left without an edge port (the range used up,
        // logged) is simply not reachable through the edge; a tenant's own rollback is refused instead by its caller
        edgePorts.sync(d);
        DeploymentRevisionEntity revision = revisions.add(d, target.changedFrom(before, Set.of()), cause, to,
                actor, now);
        outbox.append(events.event(d.tenant, d.id.toString(), new DeploymentRevised(d.id, d.tenant, revision.number,
                revision.changed, to)).by(actor));
        if (!d.stopped()) {
            begin(d, actor, why);
        }
        return revision;
    }

    private void publish(DeploymentEntity d, int updated, int ready, String actor) {
        if (d.rolloutState.isFinished()) {
            Counter.builder("nanofleet.rollouts.finished").description("Rollouts that ended, by how")
                    .tag("state", d.rolloutState.name().toLowerCase(Locale.ROOT)).register(registry)
                    .increment();
        }
        outbox.append(events.event(d.tenant, d.id.toString(), new RolloutProgressed(d.id, d.tenant, d.revision,
                d.rolloutState, d.replicas, updated, ready, d.rolloutReason)).by(actor));
    }

    static int updated(DeploymentEntity d) {
        return (int) d.instances.stream()
                .filter(i -> i.desiredState() == DesiredState.RUNNING && i.revision() == d.revision).count();
    }

    /** Why a replica can never become ready: it ended for good (its node gave up restarting it, or it failed). */
    private static String failure(InstanceEntity i) {
        if (i.state() == InstanceState.FAILED || i.state() == InstanceState.EXITED) {
            String how = i.state() == InstanceState.FAILED ? "failed" : "exited with code " + i.exitCode();
            return i.reason() == null ? how : how + " (" + i.reason() + ")";
        }
        return null;
    }
}
