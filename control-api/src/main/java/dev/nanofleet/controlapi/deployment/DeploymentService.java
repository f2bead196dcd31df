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
import dev.nanofleet.events.DeploymentRevised;
import dev.nanofleet.events.DeploymentStarted;
import dev.nanofleet.events.DeploymentStopped;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.RestartPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.nanofleet.controlapi.rollout.RolloutPolicy;
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

    private final Revisions revisions;
    private final Rollouts rollouts;

    private final EdgePorts edgePorts;

    DeploymentService(EntityManager em, Outbox outbox, EventFactory events, Clock clock, SecretBox secrets,
            Tenants tenants, Revisions revisions, Rollouts rollouts, EdgePorts edgePorts) {
        this.edgePorts = edgePorts;
        this.revisions = revisions;
        this.rollouts = rollouts;
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
        tenants.admitSpending(tenant.id(), "create");
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
        deployment.ports(request.ports() == null ? List.of() : request.ports());
        deployment.healthCheck = request.healthCheck() == null ? null : request.healthCheck().toCheck();
        deployment.egress = request.egress() == null ? EgressPolicy.ALLOW_ALL : request.egress().toPolicy();
        deployment.rolloutPolicy = request.rolloutPolicy() == null
                ? null
                : request.rolloutPolicy().over(RolloutPolicy.DEFAULT);
        deployment.createdAt = now;
        for (int ordinal = 0; ordinal < request.replicas(); ordinal++) {
            deployment.instances.add(InstanceEntity.pending(deployment, ordinal, now));
        }
        allocateEdgePorts(deployment);
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
        revisions.add(deployment, List.of(), DeploymentRevisionEntity.Cause.CREATE, null, tenant.actor(), now);
        rollouts.begin(deployment, tenant.actor());
        LOG.infof("deployment created tenant=%s id=%s name=%s replicas=%d isolation=%s actor=%s", tenant.id(),
                deployment.id, deployment.name, deployment.replicas, isolation, tenant.actor());
        return DeploymentView.of(deployment);
    }

    /**
     * Gives the deployment's tcp ports their edge ports (and frees those of ports no longer tcp).
     *
     * @throws ProblemException 409 naming {@code ports} when the platform's range has none left (the transaction,
     *         and so the change, is rolled back)
     */
    private void allocateEdgePorts(DeploymentEntity d) {
        List<Integer> left = edgePorts.sync(d);
        if (!left.isEmpty()) {
            throw new ProblemException(ProblemType.CONFLICT, "the platform has no edge port left for tcp port(s) "
                    + left + ": all " + edgePorts.range().size() + " of " + edgePorts.range()
                    + " are taken; publish them as http or try again after other deployments free theirs",
                    List.of(new FieldError("ports", "no edge port left for tcp port(s) " + left)));
        }
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
        DeploymentEntity deployment = findForChange(tenant, id);
        if (deployment.deleted()) {
            return DeploymentView.of(deployment);
        }
        Instant now = clock.instant();
        deployment.deletedAt = now;
        edgePorts.sync(deployment);
        rollouts.cancel(deployment, "deployment deleted", tenant.actor());
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
     * Changes a deployment: its replica count, its rollout policy, and what it runs. A change to what runs is a new
     * revision, rolled out replica by replica ({@link Rollouts}); a count alone scales; nothing that differs from what
     * is stored changes nothing and publishes nothing. Quota is checked for what the deployment will reserve.
     */
    @Transactional
    public Versioned update(Tenant tenant, String id, UpdateDeploymentRequest request, String ifMatch) {
        DeploymentEntity deployment = findForChange(tenant, id);
        List<FieldError> errors = DeploymentRequestValidator.validate(request, deployment.env,
                deployment.secretsSealed.keySet());
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        if (!EntityTags.matches(ifMatch, deployment.version)) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED, "deployment '" + id + "' is at ETag \""
                    + deployment.version + "\", not " + ifMatch + ": read it again and decide on what it is now");
        }
        if (deployment.deleted()) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "deployment '" + id + "' is deleted and cannot be changed");
        }
        if (request.rolloutPolicy() != null) {
            deployment.rolloutPolicy = request.rolloutPolicy().over(deployment.rolloutPolicy());
        }
        if (request.revises()) {
            revise(tenant, deployment, request);
        } else if (request.replicas() != null) {
            scale(tenant, deployment, request.replicas());
        }
        if (request.ports() != null) {
            // only a change of ports: a scale must not fail over a tcp port an automatic rollback left without one
            allocateEdgePorts(deployment);
        }
        em.flush(); // a concurrent change surfaces here, not at commit
        return new Versioned(DeploymentView.of(deployment), deployment.version);
    }

    private void revise(Tenant tenant, DeploymentEntity d, UpdateDeploymentRequest request) {
        RevisionSpec before = RevisionSpec.of(d);
        int replicasBefore = d.replicas;
        Isolation isolation = d.isolation;
        if (request.isolation() != null) {
            IsolationPolicy.Decision decision = IsolationPolicy.resolve(request.isolation(), tenant.trust());
            isolation = decision.allowed()
                    .orElseThrow(() -> new ProblemException(ProblemType.ISOLATION_NOT_ALLOWED, decision.refusal()));
        }
        int replicas = request.replicas() == null ? d.replicas : request.replicas();
        int cpu = request.resources() == null ? d.cpuMillis : request.resources().cpuMillis();
        int memory = request.resources() == null ? d.memoryMiB : request.resources().memoryMiB();
        if (Spending.grows(d.replicas, d.cpuMillis, d.memoryMiB, replicas, cpu, memory)) {
            tenants.admitSpending(tenant.id(), "update that grows the deployment");
        }
        tenants.admitChange(tenant.id(), d.isolation, Quota.Use.of(d.replicas, d.cpuMillis, d.memoryMiB), isolation,
                Quota.Use.of(replicas, cpu, memory));

        Set<String> resealed = new TreeSet<>();
        d.isolation = isolation;
        d.replicas = replicas;
        d.cpuMillis = cpu;
        d.memoryMiB = memory;
        if (request.image() != null) {
            d.image = request.image();
        }
        if (request.command() != null) {
            d.command = request.command().isEmpty() ? null : List.copyOf(request.command());
        }
        if (request.env() != null) {
            d.env = new TreeMap<>(request.env());
        }
        if (request.secrets() != null) {
            d.secretsSealed = new TreeMap<>();
            request.secrets().forEach((name, value) -> {
                d.secretsSealed.put(name, secrets.seal(value, d.secretContext(name)));
                resealed.add(name);
            });
        }
        if (request.restartPolicy() != null) {
            RestartPolicy restart = restartPolicy(request.restartPolicy());
            d.restartMode = restart.mode();
            d.restartMaxRetries = restart.maxRetries();
        }
        if (request.ports() != null) {
            d.ports(request.ports());
        }
        if (request.imageCredentials() != null) {
            d.registryUsername = request.imageCredentials().username();
            d.registryPasswordSealed = secrets.seal(request.imageCredentials().password(), d.id.toString());
        }
        if (request.healthCheck() != null) {
            d.healthCheck = request.healthCheck().toCheck();
        } else if (Boolean.TRUE.equals(request.removeHealthCheck())) {
            d.healthCheck = null;
        }
        if (request.egress() != null) {
            d.egress = request.egress().toPolicy();
        }
        List<String> changed = RevisionSpec.of(d).changedFrom(before, resealed);
        if (changed.isEmpty()) {
            if (replicas != replicasBefore) {
                d.replicas = replicasBefore;
                scale(tenant, d, replicas);
            }
            return;
        }
        if (!d.stopped()) {
            tenants.admitSpending(tenant.id(), "update that rolls out new replicas");
        }
        Instant now = clock.instant();
        DeploymentRevisionEntity revision = revisions.add(d, changed, DeploymentRevisionEntity.Cause.UPDATE, null,
                tenant.actor(), now);
        outbox.append(events.event(tenant.id(), d.id.toString(),
                new DeploymentRevised(d.id, d.tenant, revision.number, changed, null)).by(tenant.actor()));
        LOG.infof("event=deployment.revised tenant=%s id=%s revision=%d changed=%s actor=%s", tenant.id(), d.id,
                revision.number, changed, tenant.actor());
        if (!d.stopped()) {
            rollouts.begin(d, tenant.actor());
        }
    }

    /**
     * Sets the replica count. Added replicas are stored PENDING under the next ordinals; removed ones are the highest
     * ordinals still desired RUNNING, and are stopped as a deleted deployment's are (never-placed ones at once, placed
     * ones by their node). A stopped deployment only remembers the count for its start.
     */
    private void scale(Tenant tenant, DeploymentEntity deployment, int target) {
        List<InstanceEntity> desired = deployment.instances.stream()
                .filter(i -> i.desiredState() == DesiredState.RUNNING)
                .sorted(Comparator.comparing((InstanceEntity i) -> i.revision() == deployment.revision)
                        .reversed().thenComparingInt(InstanceEntity::ordinal))
                .toList();
        if (target == deployment.replicas && (target == desired.size() || deployment.stopped())) {
            return;
        }
        if (target > deployment.replicas) {
            tenants.admitSpending(tenant.id(), "scale up");
            tenants.admit(tenant.id(), deployment.isolation,
                    Quota.Use.of(target - deployment.replicas, deployment.cpuMillis, deployment.memoryMiB));
        }
        int previous = deployment.replicas;
        deployment.replicas = target;
        if (deployment.stopped()) {
            return;
        }
        Instant now = clock.instant();
        List<DeploymentCreated.Replica> added = new ArrayList<>();
        List<UUID> removed = new ArrayList<>();
        if (target > desired.size()) {
            for (int n = desired.size(); n < target; n++) {
                InstanceEntity instance = deployment.addPending(now);
                em.persist(instance);
                added.add(new DeploymentCreated.Replica(instance.id(), instance.ordinal()));
            }
        } else {
            // the current revision's replicas are kept first, then the lowest ordinals
            for (InstanceEntity instance : desired.subList(target, desired.size()).reversed()) {
                instance.requestStop("scaled down before the replica was placed", now);
                removed.add(instance.id());
            }
        }
        publishScaled(tenant, deployment, added, removed);
        LOG.infof("deployment scaled tenant=%s id=%s replicas=%d->%d added=%s removed=%s actor=%s", tenant.id(),
                deployment.id, previous, target, added, removed, tenant.actor());
    }

    /** The deployment's revisions, newest first, each with what changed from the one before. */
    @Transactional
    public List<RevisionView> revisions(Tenant tenant, String id) {
        DeploymentEntity d = find(tenant, id);
        List<DeploymentRevisionEntity> all = revisions.all(d);
        List<RevisionView> views = new ArrayList<>();
        for (int n = 0; n < all.size(); n++) {
            DeploymentRevisionEntity before = n + 1 < all.size() ? all.get(n + 1) : null;
            views.add(RevisionView.of(all.get(n), before, d.revision));
        }
        return views;
    }

    /**
     * Makes an earlier revision's spec current again, as a new revision that rolls out (Kubernetes' and Nomad's
     * rollback: history is never rewritten).
     *
     * @param revision the one to return to; null for the one before the current
     */
    @Transactional
    public Versioned rollback(Tenant tenant, String id, Integer revision) {
        DeploymentEntity d = findForChange(tenant, id);
        if (d.deleted()) {
            throw new ProblemException(ProblemType.CONFLICT, "deployment '" + id + "' is deleted");
        }
        int to = revision == null ? d.revision - 1 : revision;
        if (revision == null && to < 1) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "deployment '" + id + "' has only revision 1: there is nothing to roll back to");
        }
        DeploymentRevisionEntity target = to < 1 ? null : revisions.find(d, to);
        if (target == null) {
            throw ProblemException.invalid(List.of(new FieldError("revision",
                    "deployment '" + id + "' has revisions 1 to " + d.revision + ", not " + to)));
        }
        if (to == d.revision) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "deployment '" + id + "' runs revision " + to + " already");
        }
        RevisionSpec spec = target.spec;
        if (!d.stopped() || Spending.grows(d.replicas, d.cpuMillis, d.memoryMiB, d.replicas, spec.cpuMillis(),
                spec.memoryMiB())) {
            tenants.admitSpending(tenant.id(), "rollback");
        }
        tenants.admitChange(tenant.id(), d.isolation, Quota.Use.of(d.replicas, d.cpuMillis, d.memoryMiB),
                spec.isolation(), Quota.Use.of(d.replicas, spec.cpuMillis(), spec.memoryMiB()));
        if (spec.isolation() == Isolation.SHARED && tenant.trust() != TenantTrust.TRUSTED) {
            throw new ProblemException(ProblemType.ISOLATION_NOT_ALLOWED, "revision " + to
                    + " runs shared-kernel, which this tenant may no longer use: update the isolation instead");
        }
        DeploymentRevisionEntity made = rollouts.revert(d, to, DeploymentRevisionEntity.Cause.ROLLBACK,
                tenant.actor(), clock.instant());
        allocateEdgePorts(d);
        LOG.infof("event=deployment.rolled-back tenant=%s id=%s to=%d revision=%d actor=%s", tenant.id(), d.id, to,
                made.number, tenant.actor());
        em.flush();
        return new Versioned(DeploymentView.of(d), d.version);
    }

    /**
     * Stops every replica (its node sends TERM, waits the grace, then KILL) and frees its capacity; the spec,
     * revisions and logs stay, and {@link #start} brings the same revision back. Stopping a stopped one changes nothing.
     */
    @Transactional
    public Versioned stop(Tenant tenant, String id) {
        DeploymentEntity d = findForChange(tenant, id);
        if (d.deleted()) {
            throw new ProblemException(ProblemType.CONFLICT, "deployment '" + id + "' is deleted");
        }
        if (!d.stopped()) {
            stop(d, tenant.actor(), "deployment stopped");
            em.flush();
        }
        return new Versioned(DeploymentView.of(d), d.version);
    }

    /**
     * Stops every live deployment of the tenant that is not stopped, each as {@link #stop} does (so {@link #start}
     * brings it back later), for a reason the platform has rather than the tenant: its spend limit is reached.
     *
     * @param actor who the events name (e.g. {@code billing})
     * @param why what a rollout cancelled by it, and a replica it stops before placement, say
     * @return the deployments stopped
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> stopAll(String tenant, String actor, String why) {
        List<DeploymentEntity> running = em.createQuery("""
                SELECT DISTINCT d FROM DeploymentEntity d LEFT JOIN FETCH d.instances
                WHERE d.tenant = :tenant AND d.deletedAt IS NULL AND d.stoppedAt IS NULL
                ORDER BY d.createdAt, d.id""", DeploymentEntity.class).setParameter("tenant", tenant).getResultList();
        List<UUID> stopped = new ArrayList<>();
        for (DeploymentEntity d : running) {
            stop(d, actor, why);
            stopped.add(d.id);
        }
        em.flush();
        return stopped;
    }

    /** What a stop is, whoever asks: no replica desired running, the rollout cancelled, the scheduler told. */
    private void stop(DeploymentEntity d, String actor, String why) {
        Instant now = clock.instant();
        d.stoppedAt = now;
        rollouts.cancel(d, why, actor);
        List<UUID> removed = new ArrayList<>();
        for (InstanceEntity instance : d.instances) {
            if (instance.desiredState() == DesiredState.RUNNING) {
                instance.requestStop(why + " before the replica was placed", now);
                removed.add(instance.id());
            }
        }
        outbox.append(events.event(d.tenant, d.id.toString(), d.scaled(List.of(), removed)).by(actor));
        outbox.append(events.event(d.tenant, d.id.toString(), new DeploymentStopped(d.id, d.tenant, d.revision))
                .by(actor));
        LOG.infof("event=deployment.stopped tenant=%s id=%s replicas=%d actor=%s reason=%s", d.tenant, d.id,
                removed.size(), actor, why);
    }

    /** Brings a stopped deployment's current revision back, placed anew, as a rollout. Starting a running one changes nothing. */
    @Transactional
    public Versioned start(Tenant tenant, String id) {
        DeploymentEntity d = findForChange(tenant, id);
        if (d.deleted()) {
            throw new ProblemException(ProblemType.CONFLICT, "deployment '" + id + "' is deleted");
        }
        if (d.stopped()) {
            tenants.admitSpending(tenant.id(), "start");
            d.stoppedAt = null;
            outbox.append(events.event(tenant.id(), d.id.toString(), new DeploymentStarted(d.id, d.tenant,
                    d.revision)).by(tenant.actor()));
            rollouts.begin(d, tenant.actor());
            LOG.infof("event=deployment.started tenant=%s id=%s revision=%d actor=%s", tenant.id(), d.id, d.revision,
                    tenant.actor());
            em.flush();
        }
        return new Versioned(DeploymentView.of(d), d.version);
    }

    /**
     * Replaces every replica one by one under the rollout policy, with the same spec: a new revision, as
     * {@code kubectl rollout restart} makes one, so the rollout, its progress and a rollback work as for any change.
     */
    @Transactional
    public Versioned restart(Tenant tenant, String id) {
        DeploymentEntity d = findForChange(tenant, id);
        if (d.deleted() || d.stopped()) {
            throw new ProblemException(ProblemType.CONFLICT, "deployment '" + id + "' is "
                    + (d.deleted() ? "deleted" : "stopped: start it instead"));
        }
        tenants.admitSpending(tenant.id(), "restart");
        Instant now = clock.instant();
        DeploymentRevisionEntity revision = revisions.add(d, List.of(), DeploymentRevisionEntity.Cause.RESTART, null,
                tenant.actor(), now);
        outbox.append(events.event(tenant.id(), d.id.toString(),
                new DeploymentRevised(d.id, d.tenant, revision.number, List.of(), null)).by(tenant.actor()));
        rollouts.begin(d, tenant.actor());
        LOG.infof("event=deployment.restarted tenant=%s id=%s revision=%d actor=%s", tenant.id(), d.id,
                revision.number, tenant.actor());
        em.flush();
        return new Versioned(DeploymentView.of(d), d.version);
    }

    private void publishScaled(Tenant tenant, DeploymentEntity d, List<DeploymentCreated.Replica> added,
            List<UUID> removed) {
        outbox.append(events.event(tenant.id(), d.id.toString(), d.scaled(added, removed)).by(tenant.actor()));
    }

    /** Another tenant's deployment and a malformed id answer alike: not found, so ids cannot be probed. */
    private DeploymentEntity find(Tenant tenant, String id) {
        return find(tenant, id, LockModeType.NONE);
    }

    /**
     * The deployment to change, its row locked until the transaction ends, so changes of one deployment apply one
     * after the other and each reads the replicas the one before left. Row versions alone let a change that writes
     * only instance rows (re-adding replicas at an unchanged count) commit beside a deletion and revive it.
     */
    private DeploymentEntity findForChange(Tenant tenant, String id) {
        return find(tenant, id, LockModeType.PESSIMISTIC_WRITE);
    }

    private DeploymentEntity find(Tenant tenant, String id, LockModeType lock) {
        Optional<UUID> uuid = Ids.parse(id);
        DeploymentEntity deployment = uuid.map(u -> em.find(DeploymentEntity.class, u, lock)).orElse(null);
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
