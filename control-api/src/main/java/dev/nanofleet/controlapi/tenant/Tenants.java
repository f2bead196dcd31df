package dev.nanofleet.controlapi.tenant;

import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.events.Isolation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads tenants and admits requests against their quotas. The tenant row is the lock that serialises admissions. */
@ApplicationScoped
public class Tenants {

    private final EntityManager em;
    private final TenantConfig config;

    Tenants(EntityManager em, TenantConfig config) {
        this.em = em;
        this.config = config;
    }

    @Transactional
    public Optional<TenantEntity> find(String id) {
        return Optional.ofNullable(em.find(TenantEntity.class, id));
    }

    public Quota quota(TenantEntity tenant, Isolation isolation) {
        return tenant.quota(isolation, config.defaults(isolation));
    }

    /**
     * Refuses (422 quota-exceeded) a request that would take the tenant past its quota for the isolation mode. Takes
     * the tenant row's lock first and keeps it until the caller's transaction ends, so two concurrent requests are
     * admitted one after the other and never overshoot together. Must run inside the transaction that stores the
     * change.
     */
    public void admit(String tenantId, Isolation isolation, Quota.Use asked) {
        TenantEntity tenant = em.find(TenantEntity.class, tenantId, LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null) {
            throw ProblemException.forbidden("tenant '" + tenantId + "' is not known to Nanofleet; ask an operator");
        }
        quota(tenant, isolation).check(isolation, usage(tenantId).get(isolation), asked).ifPresent(exceeded -> {
            throw new ProblemException(exceeded);
        });
    }

    /**
     * Like {@link #admit}, for a deployment that changes what it reserves: {@code released} (what it reserves now, in
     * {@code from}) stops counting, and {@code asked} (what it will reserve, in {@code to}) must fit.
     */
    public void admitChange(String tenantId, Isolation from, Quota.Use released, Isolation to, Quota.Use asked) {
        TenantEntity tenant = em.find(TenantEntity.class, tenantId, LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null) {
            throw ProblemException.forbidden("tenant '" + tenantId + "' is not known to Nanofleet; ask an operator");
        }
        Map<Isolation, Quota.Use> usage = usage(tenantId);
        usage.put(from, usage.get(from).minus(released));
        quota(tenant, to).check(to, usage.get(to), asked).ifPresent(exceeded -> {
            throw new ProblemException(exceeded);
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
}
