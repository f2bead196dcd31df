package dev.nanofleet.controlapi.eventlog;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentDeleted;
import dev.nanofleet.events.DeploymentRevised;
import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.DeploymentStarted;
import dev.nanofleet.events.DeploymentStopped;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.ExecSessionEnded;
import dev.nanofleet.events.ExecSessionStarted;
import dev.nanofleet.events.InstanceHealthChanged;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.InstanceUsageSampled;
import dev.nanofleet.events.InvoiceFinalized;
import dev.nanofleet.events.SpendAlert;
import dev.nanofleet.events.SpendLimitLifted;
import dev.nanofleet.events.SpendLimitReached;
import dev.nanofleet.events.NodeHeartbeat;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.NodeRemoved;
import dev.nanofleet.events.NodeSchedulingChanged;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.events.QuotaRefused;
import dev.nanofleet.events.RolloutProgressed;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns an event into the row the log keeps: which tenant it belongs to, which deployment and instance it is about,
 * and its payload in the tenant API's spelling. Pure: the one lookup it may need is a port.
 */
public final class EventProjection {

    private final Function<UUID, Optional<String>> tenantOfDeployment;

    /**
     * @param tenantOfDeployment the tenant of a stored deployment, for the events that name none themselves (instance
     *        events of the scheduler and node reports); empty when the deployment is unknown
     */
    public EventProjection(Function<UUID, Optional<String>> tenantOfDeployment) {
        this.tenantOfDeployment = tenantOfDeployment;
    }

    /** The row to store, or empty for an event the log does not keep. */
    public Optional<LogRow> project(Event<?> event) {
        if (!LoggedTypes.kept(event.type())) {
            return Optional.empty();
        }
        Ids ids = ids(event);
        String tenant = event.tenant() != null ? event.tenant() : ids.tenant();
        if (tenant == null && ids.deploymentId() != null) {
            tenant = tenantOfDeployment.apply(ids.deploymentId()).orElse(null);
        }
        return Optional.of(new LogRow(event.id(), event.type().typeName(), event.time(), tenant, ids.deploymentId(),
                ids.instanceId(), event.actor(), ApiJson.payload(event.data())));
    }

    /** What a payload names: its tenant (when it carries one), deployment and instance. */
    private record Ids(String tenant, UUID deploymentId, UUID instanceId) {
    }

    private static Ids ids(Event<?> event) {
        return switch (event.data()) {
            case DeploymentCreated d -> new Ids(d.tenant(), d.deploymentId(), null);
            case DeploymentScaled d -> new Ids(d.tenant(), d.deploymentId(), null);
            case DeploymentDeleted d -> new Ids(d.tenant(), d.deploymentId(), null);
            case DeploymentRevised d -> new Ids(d.tenant(), d.deploymentId(), null);
            case RolloutProgressed d -> new Ids(d.tenant(), d.deploymentId(), null);
            case DeploymentStopped d -> new Ids(d.tenant(), d.deploymentId(), null);
            case DeploymentStarted d -> new Ids(d.tenant(), d.deploymentId(), null);
            case QuotaRefused q -> new Ids(q.tenant(), null, null);
            case InstancePlaced i -> new Ids(null, i.deploymentId(), i.instanceId());
            case InstanceUnschedulable i -> new Ids(null, i.deploymentId(), i.instanceId());
            case InstanceStateChanged i -> new Ids(null, i.deploymentId(), i.instanceId());
            case InstanceHealthChanged i -> new Ids(null, i.deploymentId(), i.instanceId());
            case ExecSessionStarted e -> new Ids(null, e.deploymentId(), e.instanceId());
            case ExecSessionEnded e -> new Ids(null, e.deploymentId(), e.instanceId());
            case InstanceUsageSampled u -> new Ids(u.tenant(), u.deploymentId(), u.instanceId());
            case InvoiceFinalized b -> new Ids(b.tenant(), null, null);
            case SpendAlert b -> new Ids(b.tenant(), null, null);
            case SpendLimitReached b -> new Ids(b.tenant(), null, null);
            case SpendLimitLifted b -> new Ids(b.tenant(), null, null);
            // fleet events: no tenant's, operators only
            case NodeRegistered n -> new Ids(null, null, null);
            case NodeHeartbeat n -> new Ids(null, null, null);
            case NodeSchedulingChanged n -> new Ids(null, null, null);
            case NodeStatusChanged n -> new Ids(null, null, null);
            case NodeRemoved n -> new Ids(null, null, null);
        };
    }
}
