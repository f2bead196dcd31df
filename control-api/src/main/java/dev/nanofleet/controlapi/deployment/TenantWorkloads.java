package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.controlapi.kafka.EventFactory;
import dev.nanofleet.controlapi.tenant.TenantEntity;
import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.nodeapi.DesiredState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What an operator's change to a tenant does to its running deployments: suspension stops every replica, resumption
 * brings each deployment back to its replica count, and lowering trust moves shared-kernel replicas to hardware
 * isolation one replacement at a time. Each change and its events commit with the tenant's change.
 */
@ApplicationScoped
public class TenantWorkloads {

    private static final Logger LOG = Logger.getLogger(TenantWorkloads.class);

    private final EntityManager em;
    private final Outbox outbox;
    private final EventFactory events;
    private final Clock clock;
    private final Rollouts rollouts;

    TenantWorkloads(EntityManager em, Outbox outbox, EventFactory events, Clock clock, Rollouts rollouts) {
        this.rollouts = rollouts;
        this.em = em;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
    }

    /** Stops every replica of the tenant's live deployments; their specs stay for {@link #startAll}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int stopAll(String tenant, String actor) {
        Instant now = clock.instant();
        int stopped = 0;
        for (DeploymentEntity deployment : live(tenant)) {
            List<UUID> removed = new ArrayList<>();
            for (InstanceEntity instance : deployment.instances) {
                if (instance.desiredState() == DesiredState.RUNNING) {
                    instance.requestStop("tenant suspended", now);
                    removed.add(instance.id());
                }
            }
            if (!removed.isEmpty()) {
                publish(deployment, List.of(), removed, actor);
                stopped += removed.size();
            }
            // a rollout left running would see no replica and start new ones for the suspended tenant
            rollouts.cancel(deployment, "tenant suspended", actor);
        }
        LOG.infof("event=tenant.workloads-stopped tenant=%s actor=%s replicas=%d", tenant, actor, stopped);
        return stopped;
    }

    /**
     * Brings each live deployment of the tenant that it did not stop itself back to its replica count, as new replicas
     * for the scheduler.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int startAll(String tenant, String actor) {
        Instant now = clock.instant();
        int started = 0;
        for (DeploymentEntity deployment : live(tenant)) {
            if (deployment.stopped()) {
                continue; // the tenant stopped it: it stays stopped until the tenant starts it
            }
            long running = deployment.instances.stream().filter(i -> i.desiredState() == DesiredState.RUNNING)
                    .count();
            List<DeploymentCreated.Replica> added = new ArrayList<>();
            for (long n = running; n < deployment.replicas; n++) {
                InstanceEntity instance = deployment.addPending(now);
                em.persist(instance);
                added.add(new DeploymentCreated.Replica(instance.id(), instance.ordinal()));
            }
            if (!added.isEmpty()) {
                publish(deployment, added, List.of(), actor);
                started += added.size();
            }
        }
        LOG.infof("event=tenant.workloads-started tenant=%s actor=%s replicas=%d", tenant, actor, started);
        return started;
    }

    /**
     * The tenant is untrusted from now on. Every later placement of its deployments is hardware-isolated: each
     * shared-kernel deployment becomes a hardware one, and each of its replicas gets a hardware replacement. A placed
     * replica keeps running until its replacement runs ({@link #replacementRunning}), so the deployment never has fewer
     * replicas serving; one never placed is stopped at once, since nothing runs to keep.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int moveToHardware(String tenant, String actor) {
        Instant now = clock.instant();
        int replaced = 0;
        for (DeploymentEntity deployment : live(tenant)) {
            deployment.tenantTrust = TenantTrust.UNTRUSTED;
            if (deployment.isolation != Isolation.SHARED) {
                continue;
            }
            deployment.isolation = Isolation.HARDWARE;
            List<DeploymentCreated.Replica> added = new ArrayList<>();
            List<UUID> removed = new ArrayList<>();
            int next = deployment.nextOrdinal();
            for (InstanceEntity old : List.copyOf(deployment.instances)) {
                if (old.desiredState() != DesiredState.RUNNING) {
                    continue;
                }
                InstanceEntity replacement = InstanceEntity.replacement(old, next++, now);
                deployment.instances.add(replacement);
                em.persist(replacement);
                added.add(new DeploymentCreated.Replica(replacement.id(), replacement.ordinal()));
                if (old.nodeName() == null) {
                    old.requestStop("moved to hardware isolation before it was placed", now);
                    removed.add(old.id());
                }
            }
            publish(deployment, added, removed, actor);
            replaced += added.size();
            LOG.infof("event=deployment.isolation-changed tenant=%s deployment=%s isolation=hardware replacements=%d"
                    + " actor=%s", tenant, deployment.id, added.size(), actor);
        }
        return replaced;
    }

    /** The tenant became trusted: its deployments keep their isolation, and their later events carry the trust. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void trust(String tenant) {
        live(tenant).forEach(d -> d.tenantTrust = TenantTrust.TRUSTED);
    }

    /**
     * What a node's report about a replica means for its tenant: a replacement that runs stops the replica it
     * replaces, and a shared-kernel replica that ended may be the last one a tenant lowering its trust held.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void afterReport(InstanceEntity instance) {
        replacementRunning(instance);
        if (instance.isolation() == Isolation.SHARED && instance.state().isTerminal()) {
            TenantEntity tenant = em.find(TenantEntity.class, instance.deployment().tenant);
            if (tenant != null) {
                completeTrustLowering(tenant);
            }
        }
    }

    /**
     * Makes a tenant whose trust is being lowered untrusted once none of its replicas holds a shared kernel: placed
     * there and not yet ended (a replica told to stop holds one until its node says it stopped).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeTrustLowering(TenantEntity tenant) {
        if (!tenant.trustLowering()) {
            return;
        }
        long held = em.createQuery("""
                SELECT COUNT(i) FROM InstanceEntity i JOIN i.deployment d
                WHERE d.tenant = :tenant AND i.isolation = :shared AND i.nodeName IS NOT NULL
                AND i.state NOT IN :ended""", Long.class).setParameter("tenant", tenant.id())
                .setParameter("shared", Isolation.SHARED)
                .setParameter("ended", Arrays.stream(InstanceState.values()).filter(InstanceState::isTerminal).toList())
                .getSingleResult();
        if (held == 0) {
            tenant.completeTrustLowering();
            LOG.infof("event=tenant.trust-changed tenant=%s trust=UNTRUSTED (no shared kernel held any more)",
                    tenant.id());
        } else {
            LOG.debugf("tenant=%s lowering trust: %d replicas still hold a shared kernel", tenant.id(), held);
        }
    }

    /** A replacement reported RUNNING: the replica it replaces stops now (by its node), unless it is already stopping. */
    private void replacementRunning(InstanceEntity replacement) {
        if (replacement.replaces() == null || replacement.state() != InstanceState.RUNNING) {
            return;
        }
        InstanceEntity old = em.find(InstanceEntity.class, replacement.replaces());
        if (old == null || old.desiredState() != DesiredState.RUNNING) {
            return;
        }
        old.requestStop("replaced by " + replacement.id() + " in hardware isolation", clock.instant());
        publish(old.deployment(), List.of(), List.of(old.id()), null);
        LOG.infof("event=instance.replaced deployment=%s old=%s new=%s", old.deployment().id, old.id(),
                replacement.id());
    }

    /**
     * The tenant's live deployments, each row locked as the API's changes lock it ({@code DeploymentService}) before
     * its replicas are read, so a scale or deletion running meanwhile is either seen whole or waits.
     */
    private List<DeploymentEntity> live(String tenant) {
        List<UUID> ids = em.createQuery("""
                SELECT d.id FROM DeploymentEntity d
                WHERE d.tenant = :tenant AND d.deletedAt IS NULL ORDER BY d.createdAt, d.id""", UUID.class)
                .setParameter("tenant", tenant).getResultList();
        List<DeploymentEntity> live = new ArrayList<>();
        for (UUID id : ids) {
            DeploymentEntity deployment = em.find(DeploymentEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (deployment != null && !deployment.deleted()) {
                live.add(deployment);
            }
        }
        return live;
    }

    /** Tells the scheduler which replicas to place and which to free, as a scale does. */
    private void publish(DeploymentEntity d, List<DeploymentCreated.Replica> added, List<UUID> removed,
            String actor) {
        outbox.append(events.event(d.tenant, d.id.toString(), d.scaled(added, removed)).by(actor));
    }
}
