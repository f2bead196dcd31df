package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.controlapi.kafka.EventFactory;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.Ids;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.secrets.SecretBox;
import dev.nanofleet.controlapi.security.Tenant;
import dev.nanofleet.controlapi.tenant.Quota;
import dev.nanofleet.controlapi.tenant.Tenants;
import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentDeleted;
import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.RestartPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

/** Creates, reads, scales and deletes a tenant's deployments; every change and its event commit together. */
@ApplicationScoped
public class DeploymentService {

    static final int DEFAULT_MAX_RETRIES = 5;

    private static final Logger LOG = Logger.getLogger(DeploymentService.class);

    private final EntityManager em;
    private final Outbox outbox;
    private final EventFactory events;
    private final Clock clock;
    private final SecretBox secrets;
    private final Tenants tenants;

    DeploymentService(EntityManager em, Outbox outbox, EventFactory events, Clock clock, SecretBox secrets,
            Tenants tenants) {
        this.tenants = tenants;
        this.em = em;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
        this.secrets = secrets;
    }

    @Transactional
    public DeploymentView create(Tenant tenant, CreateDeploymentRequest request) {
        List<FieldError> errors = DeploymentRequestValidator.validate(request);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        RequestedIsolation requested = request.isolation() == null ? RequestedIsolation.AUTO : request.isolation();
        IsolationPolicy.Decision decision = IsolationPolicy.resolve(requested, tenant.trust());
        Isolation isolation = decision.allowed()
                .orElseThrow(() -> new ProblemException(ProblemType.ISOLATION_NOT_ALLOWED, decision.refusal()));
        tenants.admit(tenant.id(), isolation, Quota.Use.of(request.replicas(), request.resources().cpuMillis(),
                request.resources().memoryMiB()));
        if (nameTaken(tenant.id(), request.name())) {
            throw duplicate(request.name());
        }

        Instant now = clock.instant();
        DeploymentEntity deployment = new DeploymentEntity();
        deployment.id = UUID.randomUUID();
        deployment.tenant = tenant.id();
        deployment.tenantTrust = tenant.trust();
        deployment.name = request.name();
        deployment.image = request.image();
        deployment.replicas = request.replicas();
        deployment.cpuMillis = request.resources().cpuMillis();
        deployment.memoryMiB = request.resources().memoryMiB();
        deployment.isolation = isolation;
        deployment.command = request.command() == null ? null : List.copyOf(request.command());
        deployment.env = request.env() == null ? new TreeMap<>() : new TreeMap<>(request.env());
        RestartPolicy restart = restartPolicy(request.restartPolicy());
        deployment.restartMode = restart.mode();
        deployment.restartMaxRetries = restart.maxRetries();
        if (request.imageCredentials() != null) {
            deployment.registryUsername = request.imageCredentials().username();
            deployment.registryPasswordSealed = secrets.seal(request.imageCredentials().password(),
                    deployment.id.toString());
        }
        if (request.secrets() != null) {
            request.secrets().forEach((name, value) -> deployment.secretsSealed.put(name,
                    secrets.seal(value, deployment.secretContext(name))));
        }
        deployment.ports = request.ports() == null
                ? new ArrayList<>()
                : new ArrayList<>(request.ports().stream().map(p -> p.containerPort()).toList());
        deployment.createdAt = now;
        for (int ordinal = 0; ordinal < request.replicas(); ordinal++) {
            deployment.instances.add(InstanceEntity.pending(deployment, ordinal, now));
        }
        em.persist(deployment);
        try {
            em.flush(); // a concurrent create of the same name fails here, not at commit
        } catch (PersistenceException e) {
            if (e instanceof ConstraintViolationException || e.getCause() instanceof ConstraintViolationException) {
                throw duplicate(request.name());
            }
            throw e;
        }

        outbox.append(events.event(tenant.id(), deployment.id.toString(), created(deployment)).by(tenant.actor()));
        LOG.infof("deployment created tenant=%s id=%s name=%s replicas=%d isolation=%s actor=%s", tenant.id(),
                deployment.id, deployment.name, deployment.replicas, isolation, tenant.actor());
        return DeploymentView.of(deployment);
    }

    /** One page of deployments and, when more follow, where the next page starts. */
    public record Page(List<DeploymentView> items, DeploymentListQuery.Position next) {
    }

    /**
     * A page of the tenant's deployments, newest first. The ids are paged first and the deployments with their
     * instances fetched after, so the database pages rows rather than Hibernate pages joined rows in memory.
     */
    @Transactional
    public Page list(Tenant tenant, DeploymentListQuery query) {
        StringBuilder jpql = new StringBuilder(
                "SELECT d.id, d.createdAt FROM DeploymentEntity d WHERE d.tenant = :tenant");
        switch (query.state()) {
            case ACTIVE -> jpql.append(" AND d.deletedAt IS NULL");
            case DELETED -> jpql.append(" AND d.deletedAt IS NOT NULL");
            case ALL -> {
            }
        }
        if (query.namePrefix() != null) {
            jpql.append(" AND d.name LIKE :prefix ESCAPE '\\'");
        }
        if (query.after() != null) {
            jpql.append(" AND (d.createdAt < :afterTime OR (d.createdAt = :afterTime AND d.id < :afterId))");
        }
        jpql.append(" ORDER BY d.createdAt DESC, d.id DESC");
        var ids = em.createQuery(jpql.toString(), Object[].class).setParameter("tenant", tenant.id())
                .setMaxResults(query.limit() + 1);
        if (query.namePrefix() != null) {
            ids.setParameter("prefix", query.namePrefix().replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        }
        if (query.after() != null) {
            ids.setParameter("afterTime", query.after().createdAt()).setParameter("afterId", query.after().id());
        }
        List<Object[]> rows = ids.getResultList();
        boolean more = rows.size() > query.limit();
        List<UUID> page = rows.stream().limit(query.limit()).map(r -> (UUID) r[0]).toList();
        if (page.isEmpty()) {
            return new Page(List.of(), null);
        }
        List<DeploymentEntity> found = em.createQuery("""
                SELECT DISTINCT d FROM DeploymentEntity d LEFT JOIN FETCH d.instances WHERE d.id IN :ids""",
                DeploymentEntity.class).setParameter("ids", page).getResultList();
        List<DeploymentView> items = found.stream()
                .sorted(Comparator.comparing((DeploymentEntity d) -> d.createdAt).thenComparing(d -> d.id).reversed())
                .map(DeploymentView::of).toList();
        DeploymentView last = items.getLast();
        return new Page(items, more ? new DeploymentListQuery.Position(last.createdAt(), last.id()) : null);
    }

    /** A deployment as answered, with the version its ETag names (it changes when the deployment row does). */
    public record Versioned(DeploymentView view, long version) {
        public String etag() {
            return "\"" + version + "\"";
        }
    }

    @Transactional
    public Versioned get(Tenant tenant, String id) {
        DeploymentEntity deployment = find(tenant, id);
        return new Versioned(DeploymentView.of(deployment), deployment.version);
    }

    /**
     * Marks the deployment deleted and every replica to be stopped. Replicas never placed stop at once; placed ones are
     * stopped by their node, which then reports STOPPED. Deleting again changes nothing.
     */
    @Transactional
    public DeploymentView delete(Tenant tenant, String id) {
        DeploymentEntity deployment = find(tenant, id);
        if (deployment.deleted()) {
            return DeploymentView.of(deployment);
        }
        Instant now = clock.instant();
        deployment.deletedAt = now;
        for (InstanceEntity instance : deployment.instances) {
            instance.requestStop("deployment deleted before the replica was placed", now);
        }
        outbox.append(events.event(tenant.id(), deployment.id.toString(),
                new DeploymentDeleted(deployment.id, tenant.id())).by(tenant.actor()));
        em.flush(); // a placement applied meanwhile fails the version check here, where the caller can retry
        LOG.infof("deployment deleted tenant=%s id=%s actor=%s", tenant.id(), deployment.id, tenant.actor());
        return DeploymentView.of(deployment);
    }

    /**
     * Sets the replica count. Added replicas are stored PENDING under the next ordinals; removed ones are the highest
     * ordinals still desired RUNNING, and are stopped as a deleted deployment's are (never-placed ones at once, placed
     * ones by their node). The same count changes nothing and publishes nothing.
     */
    @Transactional
    public Versioned scale(Tenant tenant, String id, ScaleDeploymentRequest request, String ifMatch) {
        List<FieldError> errors = DeploymentRequestValidator.validate(request);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        DeploymentEntity deployment = find(tenant, id);
        if (!EntityTags.matches(ifMatch, deployment.version)) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED, "deployment '" + id + "' is at ETag \""
                    + deployment.version + "\", not " + ifMatch + ": read it again and decide on what it is now");
        }
        if (deployment.deleted()) {
            throw new ProblemException(ProblemType.CONFLICT, "deployment '" + id + "' is deleted and cannot be scaled");
        }
        int target = request.replicas();
        List<InstanceEntity> desired = deployment.instances.stream()
                .filter(i -> i.desiredState() == DesiredState.RUNNING)
                .sorted(Comparator.comparingInt(InstanceEntity::ordinal)).toList();
        if (target == deployment.replicas && target == desired.size()) {
            return new Versioned(DeploymentView.of(deployment), deployment.version);
        }
        if (target > deployment.replicas) {
            tenants.admit(tenant.id(), deployment.isolation,
                    Quota.Use.of(target - deployment.replicas, deployment.cpuMillis, deployment.memoryMiB));
        }
        Instant now = clock.instant();
        List<DeploymentCreated.Replica> added = new ArrayList<>();
        List<UUID> removed = new ArrayList<>();
        if (target > desired.size()) {
            int next = deployment.instances.stream().mapToInt(InstanceEntity::ordinal).max().orElse(-1) + 1;
            for (int n = desired.size(); n < target; n++) {
                InstanceEntity instance = InstanceEntity.pending(deployment, next++, now);
                deployment.instances.add(instance);
                em.persist(instance);
                added.add(new DeploymentCreated.Replica(instance.id(), instance.ordinal()));
            }
        } else {
            for (InstanceEntity instance : desired.subList(target, desired.size()).reversed()) {
                instance.requestStop("scaled down before the replica was placed", now);
                removed.add(instance.id());
            }
        }
        int previous = deployment.replicas;
        deployment.replicas = target;
        outbox.append(events.event(tenant.id(), deployment.id.toString(),
                new DeploymentScaled(deployment.id, deployment.tenant, deployment.tenantTrust,
                        new Resources(deployment.cpuMillis, deployment.memoryMiB), deployment.isolation, target,
                        added, removed))
                .by(tenant.actor()));
        em.flush(); // as in delete: a concurrent change surfaces here, not at commit
        LOG.infof("deployment scaled tenant=%s id=%s replicas=%d->%d added=%s removed=%s actor=%s", tenant.id(),
                deployment.id, previous, target, added, removed, tenant.actor());
        return new Versioned(DeploymentView.of(deployment), deployment.version);
    }

    /** Another tenant's deployment and a malformed id answer alike: not found, so ids cannot be probed. */
    private DeploymentEntity find(Tenant tenant, String id) {
        Optional<UUID> uuid = Ids.parse(id);
        DeploymentEntity deployment = uuid.map(u -> em.find(DeploymentEntity.class, u)).orElse(null);
        if (deployment == null || !deployment.tenant.equals(tenant.id())) {
            throw ProblemException.notFound("deployment '" + id + "'");
        }
        return deployment;
    }

    private boolean nameTaken(String tenant, String name) {
        return !em.createQuery("""
                SELECT d.id FROM DeploymentEntity d
                WHERE d.tenant = :tenant AND d.name = :name AND d.deletedAt IS NULL""", UUID.class)
                .setParameter("tenant", tenant).setParameter("name", name).setMaxResults(1).getResultList()
                .isEmpty();
    }

    private static ProblemException duplicate(String name) {
        return new ProblemException(ProblemType.CONFLICT,
                "a deployment named '" + name + "' already exists in this tenant");
    }

    private static DeploymentCreated created(DeploymentEntity d) {
        return new DeploymentCreated(d.id, d.tenant, d.tenantTrust, d.name, d.image,
                new Resources(d.cpuMillis, d.memoryMiB), d.isolation,
                d.instances.stream().map(i -> new DeploymentCreated.Replica(i.id(), i.ordinal())).toList());
    }

    /**
     * Like Fly.io and Nomad, a process that crashes is started again by default (on-failure, 5 retries with back-off)
     * and one that exits 0 stays exited.
     */
    static RestartPolicy restartPolicy(CreateDeploymentRequest.RestartPolicyRequest request) {
        RestartMode mode = request == null || request.mode() == null ? RestartMode.ON_FAILURE : request.mode();
        int maxRetries = request == null || request.maxRetries() == null ? DEFAULT_MAX_RETRIES : request.maxRetries();
        return new RestartPolicy(mode.mode(), mode == RestartMode.NEVER ? 0 : maxRetries);
    }
}
