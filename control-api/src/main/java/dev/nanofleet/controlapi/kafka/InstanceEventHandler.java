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
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies the scheduler's decisions to stored instances. Runs on the consumer thread; each event's effect and its id
 * commit in one transaction, so a redelivered event changes nothing.
 */
@ApplicationScoped
public class InstanceEventHandler {

    private static final Logger LOG = Logger.getLogger(InstanceEventHandler.class);
    /** Only instances still waiting for a node take a placement; a placement arriving later changes nothing. */
    private static final Set<InstanceState> AWAITING_PLACEMENT = EnumSet.of(InstanceState.PENDING,
            InstanceState.UNSCHEDULABLE);

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
            case InstancePlaced placed -> placed(placed);
            case InstanceUnschedulable unschedulable -> unschedulable(unschedulable);
            default -> throw new IllegalStateException("unreachable");
        }
    }

    private void placed(InstancePlaced placed) {
        InstanceEntity instance = find(placed.instanceId());
        if (instance == null || !AWAITING_PLACEMENT.contains(instance.state)) {
            LOG.infof("ignored placement instance=%s node=%s state=%s", placed.instanceId(), placed.nodeName(),
                    instance == null ? "unknown" : instance.state);
            return;
        }
        instance.nodeName = placed.nodeName();
        instance.isolation = placed.isolation();
        instance.state = InstanceState.SCHEDULED;
        instance.reason = null;
        instance.updatedAt = clock.instant();
        LOG.infof("instance=%s placed on node=%s isolation=%s", instance.id, placed.nodeName(), placed.isolation());
    }

    private void unschedulable(InstanceUnschedulable unschedulable) {
        InstanceEntity instance = find(unschedulable.instanceId());
        if (instance == null || !AWAITING_PLACEMENT.contains(instance.state)) {
            LOG.infof("ignored unschedulable instance=%s state=%s", unschedulable.instanceId(),
                    instance == null ? "unknown" : instance.state);
            return;
        }
        instance.state = InstanceState.UNSCHEDULABLE;
        instance.reason = unschedulable.reason();
        instance.updatedAt = clock.instant();
        LOG.infof("instance=%s unschedulable: %s", instance.id, unschedulable.reason());
    }

    private InstanceEntity find(UUID id) {
        return em.find(InstanceEntity.class, id);
    }
}
