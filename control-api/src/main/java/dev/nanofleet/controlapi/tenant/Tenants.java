package dev.nanofleet.controlapi.tenant;

import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.QuotaExceeded;
import dev.nanofleet.controlapi.problem.SpendHeld;
import dev.nanofleet.events.Isolation;
import org.jboss.logging.Logger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads tenants and admits requests against their quotas. The tenant row is the lock that serialises admissions. */
@ApplicationScoped
public class Tenants {

    private static final Logger LOG = Logger.getLogger(Tenants.class);

    private final EntityManager em;
    private final TenantConfig config;
    private final QuotaRefusals refusals;

    Tenants(EntityManager em, TenantConfig config, QuotaRefusals refusals) {
        this.em = em;
        this.config = config;
        this.refusals = refusals;
    }

    @Transactional
    public Optional<TenantEntity> find(String id) {
        return Optional.ofNullable(em.find(TenantEntity.class, id));
    }

    /** The names of these tenants by id; an id control-api has no tenant of is left out. */
    @Transactional
    public Map<String, String> names(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, String> names = new HashMap<>();
        em.createQuery("SELECT t.id, t.name FROM TenantEntity t WHERE t.id IN :ids", Object[].class)
                .setParameter("ids", Set.copyOf(ids)).getResultStream()
                .forEach(row -> names.put((String) row[0], (String) row[1]));
        return names;
    }

    public Quota quota(TenantEntity tenant, Isolation isolation) {
        return tenant.quota(isolation, config.defaults(isolation));
    }

    /**
     * Refuses (402 spend-limit-reached) a request that would spend more while the tenant's hard spend limit is reached.
     * The one check of the hold: {@code DeploymentService} asks it before each change that would start replicas or
     * raise what a deployment reserves (the README's "Spend holds" lists them). Takes the tenant row's lock like
     * {@link #admit}, which a hold being applied holds too, so a request and a hold never interleave: the request
     * either commits before the hold (whose stop then takes it back) or sees it. Must run inside the transaction that
     * stores the change.
     */
    public void admitSpending(String tenantId, String what) {
        TenantEntity tenant = locked(tenantId);
        tenant.spendHold().ifPresent(hold -> {
            LOG.infof("event=tenant.spend-refused tenant=%s request=%s %s", tenantId, what, hold.reason());
            throw new ProblemException(new SpendHeld(hold.limit(), hold.spend(), hold.currency(), hold.periodEnd()));
        });
    }

    /**
     * Refuses (422 quota-exceeded) a request that would take the tenant past its quota for the isolation mode. Takes
     * the tenant row's lock first and keeps it until the caller's transaction ends, so two concurrent requests are
     * admitted one after the other and never overshoot together. Must run inside the transaction that stores the
     * change. A refusal is published ({@code tenant.quota-refused}) in a transaction of its own, which the refused
     * request's rollback leaves alone.
     */
    public void admit(String tenantId, Isolation isolation, Quota.Use asked) {
        TenantEntity tenant = locked(tenantId);
        quota(tenant, isolation).check(isolation, usage(tenantId).get(isolation), asked).ifPresent(exceeded -> {
            throw refused(tenantId, isolation, asked, exceeded);
        });
    }

    /**
     * Like {@link #admit}, for a deployment that changes what it reserves: {@code released} (what it reserves now, in
     * {@code from}) stops counting, and {@code asked} (what it will reserve, in {@code to}) must fit.
     */
    public void admitChange(String tenantId, Isolation from, Quota.Use released, Isolation to, Quota.Use asked) {
        TenantEntity tenant = locked(tenantId);
        Map<Isolation, Quota.Use> usage = usage(tenantId);
        usage.put(from, usage.get(from).minus(released));
        quota(tenant, to).check(to, usage.get(to), asked).ifPresent(exceeded -> {
            throw refused(tenantId, to, asked, exceeded);
        });
    }

    /**
     * What the tenant's live deployments reserve, per isolation mode: replicas times resources of every deployment not
     * deleted. A suspended tenant's deployments still count (they come back when it is resumed).
     */
    public Map<Isolation, Quota.Use> usage(String tenantId) {
        Map<Isolation, Quota.Use> usage = new EnumMap<>(Isolation.class);
        for (Isolation isolation : Isolation.values()) {
            usage.put(isolation, Quota.Use.NONE);
        }
        List<Object[]> rows = em.createQuery("""
                SELECT d.isolation, SUM(d.replicas), SUM(d.replicas * d.cpuMillis), SUM(d.replicas * d.memoryMiB)
                FROM DeploymentEntity d WHERE d.tenant = :tenant AND d.deletedAt IS NULL GROUP BY d.isolation""",
                Object[].class).setParameter("tenant", tenantId).getResultList();
        for (Object[] row : rows) {
            usage.put((Isolation) row[0], new Quota.Use(((Number) row[2]).longValue(), ((Number) row[3]).longValue(),
                    ((Number) row[1]).longValue()));
        }
        return usage;
    }

    /** The 422 for a refusal, published first ({@code tenant.quota-refused}) in a transaction of its own. */
    private ProblemException refused(String tenantId, Isolation isolation, Quota.Use asked, QuotaExceeded exceeded) {
        try {
            refusals.record(tenantId, isolation, asked, exceeded);
        } catch (RuntimeException e) {
            // the tenant still gets its 422; only the event is lost
            LOG.warnf("tenant=%s quota=%s: refusal not published: %s", tenantId, exceeded.name(), e.getMessage());
        }
        return new ProblemException(exceeded);
    }

    /** The tenant's row, locked until the caller's transaction ends; a tenant control-api does not know is refused. */
    private TenantEntity locked(String tenantId) {
        TenantEntity tenant = em.find(TenantEntity.class, tenantId, LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null) {
            throw ProblemException.forbidden("tenant '" + tenantId + "' is not known to Nanofleet; ask an operator");
        }
        return tenant;
    }
}
