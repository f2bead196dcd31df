package dev.nanofleet.controlapi.kafka;

import dev.nanofleet.controlapi.deployment.InstanceEntity;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.messaging.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies the scheduler's decisions to stored instances. Runs on the consumer thread; each event's effect and its id
 * commit in one transaction, so a redelivered event changes nothing.
 *
 * <p>
 * A placement naming another node than the instance's moves it there (the scheduler re-places replicas of a node it
 * marked lost): the new node's assignment list names it, the old node's no longer does, so the old agent stops it and
 * its reports about it are refused. {@link PlacementRules} says which decisions apply. Like the rest of the control
 * plane's own transitions (and unlike node reports), these emit no {@code instance.state-changed}: the scheduler
 * made the decision and already knows it.
 */
@ApplicationScoped
public class InstanceEventHandler {

    private static final Logger LOG = Logger.getLogger(InstanceEventHandler.class);

    private final EntityManager em;
    private final ProcessedEvents processed;
    private final Clock clock;

    InstanceEventHandler(EntityManager em, ProcessedEvents processed, Clock clock) {
        this.em = em;
        this.processed = processed;
        this.clock = clock;
    }

    @Transactional
    public void handle(Event<?> event) {
        if (!(event.data() instanceof InstancePlaced) && !(event.data() instanceof InstanceUnschedulable)) {
            return; // our own instance.state-changed events, and any other type: not ours to apply
        }
        if (!processed.firstTime(event.id())) {
            LOG.debugf("event=%s already applied", event.id());
            return;
        }
        switch (event.data()) {
            case InstancePlaced placed -> placed(placed, event.time());
            case InstanceUnschedulable unschedulable -> unschedulable(unschedulable);
            default -> throw new IllegalStateException("unreachable");
        }
    }

    private void placed(InstancePlaced placed, Instant decidedAt) {
        InstanceEntity instance = find(placed.instanceId());
        if (instance == null) {
            LOG.infof("ignored placement of unknown instance=%s node=%s", placed.instanceId(), placed.nodeName());
            return;
        }
        PlacementRules.Verdict verdict = PlacementRules.placement(instance.state(), instance.stopRequested(),
                instance.nodeName(), placed.nodeName());
        if (verdict != PlacementRules.Verdict.APPLY) {
            LOG.infof("ignored placement instance=%s node=%s state=%s current=%s: %s", instance.id(),
                    placed.nodeName(), instance.state(), instance.nodeName(), verdict);
            return;
        }
        String previous = instance.nodeName();
        InstanceState previousState = instance.state();
        if (previous == null) {
            instance.place(placed.nodeName(), placed.isolation(), clock.instant());
            instance.timePlacement(placed.relayedAt(), decidedAt);
            LOG.infof("instance=%s placed on node=%s isolation=%s", instance.id(), placed.nodeName(),
                    placed.isolation());
        } else {
            instance.move(placed.nodeName(), placed.isolation(), clock.instant());
            instance.timePlacement(null, decidedAt);
            LOG.infof("instance=%s re-placed from node=%s (state was %s) to node=%s isolation=%s", instance.id(),
                    previous, previousState, placed.nodeName(), placed.isolation());
        }
    }

    private void unschedulable(InstanceUnschedulable unschedulable) {
        InstanceEntity instance = find(unschedulable.instanceId());
        if (instance == null) {
            LOG.infof("ignored unschedulable of unknown instance=%s", unschedulable.instanceId());
            return;
        }
        PlacementRules.Verdict verdict = PlacementRules.unschedulable(instance.state(), instance.stopRequested(),
                instance.reason(), unschedulable.reason());
        if (verdict != PlacementRules.Verdict.APPLY) {
            LOG.infof("ignored unschedulable instance=%s state=%s: %s", instance.id(), instance.state(), verdict);
            return;
        }
        String previous = instance.nodeName();
        instance.markUnschedulable(unschedulable.reason(), clock.instant());
        LOG.infof("instance=%s unschedulable (was on node=%s): %s", instance.id(), previous,
                unschedulable.reason());
    }

    private InstanceEntity find(UUID id) {
        return em.find(InstanceEntity.class, id);
    }
}
