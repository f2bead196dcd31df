package dev.nanofleet.controlapi.tenant;

import dev.nanofleet.controlapi.deployment.DeploymentService;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.SpendLimitLifted;
import dev.nanofleet.events.SpendLimitReached;
import dev.nanofleet.messaging.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies billing's hard spend limit to a tenant: {@code billing.spend-limit-reached} holds it and stops its running
 * deployments, {@code billing.spend-limit-lifted} clears the hold (its deployments stay stopped until it starts them).
 * Each event's effect and its id commit in one transaction, so a redelivered event changes nothing; the tenant row is
 * locked first, as {@link Tenants#admitSpending} locks it, so a request that would spend more never slips between the
 * hold and its stops.
 */
@ApplicationScoped
public class SpendHolds {

    /** Who the stops name in the deployments' events: the platform's billing, not the tenant. */
    public static final String ACTOR = "billing";

    private static final Logger LOG = Logger.getLogger(SpendHolds.class);

    private final EntityManager em;
    private final ProcessedEvents processed;
    private final DeploymentService deployments;

    SpendHolds(EntityManager em, ProcessedEvents processed, DeploymentService deployments) {
        this.em = em;
        this.processed = processed;
        this.deployments = deployments;
    }

    /** What one limit event did. */
    public record Outcome(String tenant, TenantEntity.SpendLimitChange change, List<UUID> stopped) {
        static final Outcome IGNORED = new Outcome(null, null, List.of());

        /** The event was applied just now (not a redelivery, not of an unknown tenant). */
        public boolean applied() {
            return change != null;
        }
    }

    /**
     * Applies a {@code billing.spend-limit-reached} or {@code billing.spend-limit-lifted}; other events are not its to
     * apply. An event of a tenant control-api does not know is ignored (logged): billing may know tenants sooner or
     * longer than control-api does, and nothing here could ever apply it.
     *
     * @throws IllegalArgumentException for a reached event without its figures, which can never apply (the consumer
     *             sets it aside on the dead-letter topic)
     */
    @Transactional
    public Outcome apply(Event<?> event) {
        if (!(event.data() instanceof SpendLimitReached) && !(event.data() instanceof SpendLimitLifted)) {
            return Outcome.IGNORED;
        }
        if (!processed.firstTime(event.id())) {
            LOG.debugf("event=%s already applied", event.id());
            return Outcome.IGNORED;
        }
        return switch (event.data()) {
            case SpendLimitReached reached -> reached(event, reached);
            case SpendLimitLifted lifted -> lifted(event, lifted);
            default -> throw new IllegalStateException("unreachable");
        };
    }

    private Outcome reached(Event<?> event, SpendLimitReached reached) {
        requireFigures(event, reached);
        TenantEntity tenant = lock(reached.tenant());
        if (tenant == null) {
            LOG.infof("ignored billing.spend-limit-reached of unknown tenant=%s event=%s", reached.tenant(),
                    event.id());
            return Outcome.IGNORED;
        }
        TenantEntity.SpendLimitChange change = tenant.reachSpendLimit(event.time(), reached.limit(), reached.spend(),
                reached.currency(), reached.periodEnd());
        if (change == TenantEntity.SpendLimitChange.STALE) {
            LOG.infof("ignored stale billing.spend-limit-reached tenant=%s event=%s time=%s", tenant.id(), event.id(),
                    event.time());
            return new Outcome(tenant.id(), change, List.of());
        }
        SpendHold hold = tenant.spendHold().orElseThrow();
        // also when already held: a deployment started in between (none should be) is stopped as well
        List<UUID> stopped = deployments.stopAll(tenant.id(), ACTOR, hold.reason());
        LOG.infof("event=tenant.spend-held tenant=%s change=%s since=%s period-end=%s deployments-stopped=%d %s",
                tenant.id(), change, hold.since(), hold.periodEnd(), stopped.size(), hold.reason());
        return new Outcome(tenant.id(), change, stopped);
    }

    private Outcome lifted(Event<?> event, SpendLimitLifted lifted) {
        TenantEntity tenant = lifted.tenant() == null ? null : lock(lifted.tenant());
        if (tenant == null) {
            LOG.infof("ignored billing.spend-limit-lifted of unknown tenant=%s event=%s", lifted.tenant(),
                    event.id());
            return Outcome.IGNORED;
        }
        TenantEntity.SpendLimitChange change = tenant.liftSpendLimit(event.time());
        LOG.infof("event=tenant.spend-lifted tenant=%s change=%s event=%s time=%s reason=%s", tenant.id(), change,
                event.id(), event.time(), lifted.reason());
        return new Outcome(tenant.id(), change, List.of());
    }

    private TenantEntity lock(String id) {
        return em.find(TenantEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    }

    private static void requireFigures(Event<?> event, SpendLimitReached reached) {
        try {
            Objects.requireNonNull(reached.tenant(), "tenant");
            Objects.requireNonNull(reached.currency(), "currency");
            Objects.requireNonNull(reached.periodEnd(), "periodEnd");
            requireAmount(reached.limit(), "limit");
            requireAmount(reached.spend(), "spend");
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("event " + event.id() + " lacks " + e.getMessage(), e);
        }
    }

    private static void requireAmount(BigDecimal amount, String name) {
        Objects.requireNonNull(amount, name);
        if (amount.signum() < 0) {
            throw new IllegalArgumentException(name + " is negative: " + amount.toPlainString());
        }
    }
}
