package dev.nanofleet.controlapi.tenant;

import dev.nanofleet.controlapi.deployment.TenantWorkloads;
import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** The operators' tenant administration: create (with the first user in Keycloak), read, change, and usage. */
@ApplicationScoped
public class TenantService {

    private static final Logger LOG = Logger.getLogger(TenantService.class);

    private final EntityManager em;
    private final Tenants tenants;
    private final IdentityDirectory directory;
    private final TenantWorkloads workloads;
    private final Clock clock;

    TenantService(EntityManager em, Tenants tenants, IdentityDirectory directory, TenantWorkloads workloads,
            Clock clock) {
        this.em = em;
        this.tenants = tenants;
        this.directory = directory;
        this.workloads = workloads;
        this.clock = clock;
    }

    @Transactional
    public List<TenantView> list() {
        return em.createQuery("SELECT t FROM TenantEntity t ORDER BY t.id", TenantEntity.class).getResultList()
                .stream().map(this::view).toList();
    }

    @Transactional
    public TenantView get(String id) {
        return view(find(id));
    }

    /**
     * Stores the tenant, then makes its group and first user in Keycloak. A directory failure rolls the tenant back, so
     * a retried create starts clean; the one-time password is in the answer only.
     */
    @Transactional
    public TenantView.Created create(TenantRequests.Create request, String actor) {
        List<FieldError> errors = TenantRequestValidator.validate(request);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        if (em.find(TenantEntity.class, request.id()) != null) {
            throw new ProblemException(ProblemType.CONFLICT, "a tenant with id '" + request.id() + "' exists");
        }
        TenantEntity tenant = new TenantEntity();
        tenant.id = request.id();
        tenant.name = request.name();
        tenant.trust = request.trust() == null
                ? TenantTrust.UNTRUSTED
                : TenantRequestValidator.parseTrust(request.trust());
        tenant.state = TenantState.ACTIVE;
        tenant.createdAt = clock.instant();
        if (request.quotas() != null) {
            tenant.setQuota(Isolation.SHARED, request.quotas().shared());
            tenant.setQuota(Isolation.HARDWARE, request.quotas().hardware());
        }
        em.persist(tenant);
        em.flush(); // a concurrent create of the same id fails here, before Keycloak is touched
        String password;
        try {
            password = directory.createTenantUser(tenant.id, request.firstUser());
        } catch (IdentityDirectory.DirectoryException.UserExists e) {
            throw new ProblemException(ProblemType.VALIDATION, "the request has 1 invalid field",
                    List.of(new FieldError("firstUser.username", e.getMessage())));
        } catch (IdentityDirectory.DirectoryException e) {
            LOG.errorf(e, "event=tenant.create-failed tenant=%s", tenant.id);
            throw new ProblemException(ProblemType.DIRECTORY_UNAVAILABLE, e.getMessage());
        }
        LOG.infof("event=tenant.created tenant=%s trust=%s first-user=%s actor=%s", tenant.id, tenant.trust,
                request.firstUser().username(), actor);
        return new TenantView.Created(view(tenant),
                new TenantView.FirstUser(request.firstUser().username(), password));
    }

    /**
     * Changes what the request names. Suspending stops every instance; resuming starts them again; lowering trust to
     * untrusted moves shared-kernel replicas to hardware isolation without a gap, and the tenant reads untrusted once
     * the last of them stopped ({@code pendingTrust} says so meanwhile). The tenant row is locked for the
     * change, so it cannot interleave with a create's quota check.
     */
    @Transactional
    public TenantView update(String id, TenantRequests.Update request, String actor) {
        List<FieldError> errors = TenantRequestValidator.validate(request);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        TenantEntity tenant = em.find(TenantEntity.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (tenant == null) {
            throw ProblemException.notFound("tenant '" + id + "'");
        }
        if (request.name() != null) {
            tenant.name = request.name();
        }
        if (request.quotas() != null) {
            tenant.setQuota(Isolation.SHARED, request.quotas().shared());
            tenant.setQuota(Isolation.HARDWARE, request.quotas().hardware());
        }
        TenantTrust trust = request.trust() == null ? null : TenantRequestValidator.parseTrust(request.trust());
        if (trust == TenantTrust.UNTRUSTED && tenant.trust == TenantTrust.TRUSTED && !tenant.trustLowering) {
            tenant.trustLowering = true;
            workloads.moveToHardware(id, actor);
            workloads.completeTrustLowering(tenant);
            LOG.infof("event=tenant.trust-lowering tenant=%s actor=%s", id, actor);
        } else if (trust == TenantTrust.TRUSTED && (tenant.trust != trust || tenant.trustLowering)) {
            tenant.trust = TenantTrust.TRUSTED; // also calls off a lowering under way; replacements made stay
            tenant.trustLowering = false;
            workloads.trust(id);
            LOG.infof("event=tenant.trust-changed tenant=%s trust=TRUSTED actor=%s", id, actor);
        }
        TenantState state = request.state() == null ? null : TenantRequestValidator.parseState(request.state());
        if (state != null && state != tenant.state) {
            tenant.state = state;
            if (state == TenantState.SUSPENDED) {
                workloads.stopAll(id, actor);
            } else {
                workloads.startAll(id, actor);
            }
            LOG.infof("event=tenant.state-changed tenant=%s state=%s actor=%s", id, state, actor);
        }
        return view(tenant);
    }

    /** Use against every quota: what the tenant's live deployments reserve per isolation mode. */
    @Transactional
    public TenantView.Usage usage(String id) {
        TenantEntity tenant = find(id);
        Map<Isolation, Quota.Use> usage = tenants.usage(id);
        List<TenantView.QuotaUse> quotas = new ArrayList<>();
        for (Isolation isolation : List.of(Isolation.SHARED, Isolation.HARDWARE)) {
            Quota quota = tenants.quota(tenant, isolation);
            Quota.Use used = usage.get(isolation);
            String mode = EnumNames.json(isolation);
            quotas.add(new TenantView.QuotaUse(mode, "cpuMillis", quota.cpuMillis(), used.cpuMillis()));
            quotas.add(new TenantView.QuotaUse(mode, "memoryMiB", quota.memoryMiB(), used.memoryMiB()));
            quotas.add(new TenantView.QuotaUse(mode, "instances", quota.instances(), used.instances()));
        }
        return new TenantView.Usage(id, quotas, SpendHoldView.of(tenant).orElse(null));
    }

    private TenantEntity find(String id) {
        TenantEntity tenant = id == null ? null : em.find(TenantEntity.class, id);
        if (tenant == null) {
            throw ProblemException.notFound("tenant '" + id + "'");
        }
        return tenant;
    }

    private TenantView view(TenantEntity tenant) {
        return TenantView.of(tenant, new TenantView.Quotas(tenants.quota(tenant, Isolation.SHARED),
                tenants.quota(tenant, Isolation.HARDWARE)));
    }
}
