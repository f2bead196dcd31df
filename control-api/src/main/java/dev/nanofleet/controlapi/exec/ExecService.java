package dev.nanofleet.controlapi.exec;

import dev.nanofleet.controlapi.deployment.InstanceEntity;
import dev.nanofleet.controlapi.kafka.EventFactory;
import dev.nanofleet.controlapi.node.NodeEntity;
import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.problem.Ids;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.security.Tenant;
import dev.nanofleet.events.ExecSessionEnded;
import dev.nanofleet.events.ExecSessionStarted;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/** Who may exec into which instance, and the record of every session (events through the outbox). */
@ApplicationScoped
public class ExecService {

    private final EntityManager em;
    private final Outbox outbox;
    private final EventFactory events;

    ExecService(EntityManager em, Outbox outbox, EventFactory events) {
        this.em = em;
        this.outbox = outbox;
        this.events = events;
    }

    /** Where a session goes, and who opened it. */
    public record Target(UUID instanceId, UUID deploymentId, String tenant, String actor, String node,
            String agentUrl) {
    }

    /**
     * @throws ProblemException 404 for a malformed id, an unknown instance or another tenant's (one answer, so ids
     *         cannot be probed), 409 for an instance that is not running, 503 when its node registered no agent URL
     */
    @Transactional
    public Target target(Tenant tenant, String id) {
        InstanceEntity instance = Ids.parse(id).map(u -> em.find(InstanceEntity.class, u)).orElse(null);
        if (instance == null || !instance.deployment().tenant.equals(tenant.id())) {
            throw ProblemException.notFound("instance '" + id + "'");
        }
        if (instance.state() != InstanceState.RUNNING || instance.nodeName() == null) {
            throw new ProblemException(ProblemType.CONFLICT, "instance '" + id + "' is not running (state "
                    + EnumNames.json(instance.state()) + "): only a running instance can be exec'd into");
        }
        NodeEntity node = em.find(NodeEntity.class, instance.nodeName());
        if (node == null || node.agentUrl == null) {
            throw new ProblemException(ProblemType.NODE_UNAVAILABLE, "node '" + instance.nodeName()
                    + "' registered no agent URL, so control-api cannot reach instance '" + id + "'");
        }
        return new Target(instance.id(), instance.deployment().id, tenant.id(), tenant.actor(), node.name,
                node.agentUrl);
    }

    @Transactional
    public void started(Target t, UUID sessionId, ExecQuery q) {
        outbox.append(events.event(t.tenant(), t.deploymentId().toString(), new ExecSessionStarted(sessionId,
                t.instanceId(), t.deploymentId(), t.node(), q.command(), q.tty(), q.stdin())).by(t.actor()));
    }

    /** @param exitCode null when the process did not end by itself; then {@code reason} says how the session ended */
    @Transactional
    public void ended(Target t, UUID sessionId, Integer exitCode, String reason) {
        outbox.append(events.event(t.tenant(), t.deploymentId().toString(), new ExecSessionEnded(sessionId,
                t.instanceId(), t.deploymentId(), exitCode, reason)).by(t.actor()));
    }
}
