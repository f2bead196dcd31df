package dev.nanofleet.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event Nanofleet publishes: its CloudEvents type, schema version, payload class and topic. */
public enum EventType {
    DEPLOYMENT_CREATED("deployment.created", 2, DeploymentCreated.class, Topics.DEPLOYMENTS),
    DEPLOYMENT_SCALED("deployment.scaled", 1, DeploymentScaled.class, Topics.DEPLOYMENTS),
    DEPLOYMENT_DELETED("deployment.deleted", 1, DeploymentDeleted.class, Topics.DEPLOYMENTS),
    DEPLOYMENT_REVISED("deployment.revised", 1, DeploymentRevised.class, Topics.DEPLOYMENTS),
    DEPLOYMENT_ROLLOUT_PROGRESSED("deployment.rollout-progressed", 1, RolloutProgressed.class, Topics.DEPLOYMENTS),
    DEPLOYMENT_STOPPED("deployment.stopped", 1, DeploymentStopped.class, Topics.DEPLOYMENTS),
    DEPLOYMENT_STARTED("deployment.started", 1, DeploymentStarted.class, Topics.DEPLOYMENTS),
    QUOTA_REFUSED("tenant.quota-refused", 1, QuotaRefused.class, Topics.DEPLOYMENTS),
    NODE_REGISTERED("node.registered", 1, NodeRegistered.class, Topics.NODES),
    NODE_HEARTBEAT("node.heartbeat", 1, NodeHeartbeat.class, Topics.NODES),
    NODE_SCHEDULING_CHANGED("node.scheduling-changed", 1, NodeSchedulingChanged.class, Topics.NODES),
    NODE_STATUS_CHANGED("node.status-changed", 1, NodeStatusChanged.class, Topics.NODES),
    NODE_REMOVED("node.removed", 1, NodeRemoved.class, Topics.NODES),
    INSTANCE_PLACED("instance.placed", 1, InstancePlaced.class, Topics.INSTANCES),
    INSTANCE_UNSCHEDULABLE("instance.unschedulable", 1, InstanceUnschedulable.class, Topics.INSTANCES),
    INSTANCE_STATE_CHANGED("instance.state-changed", 2, InstanceStateChanged.class, Topics.INSTANCES),
    INSTANCE_HEALTH_CHANGED("instance.health-changed", 1, InstanceHealthChanged.class, Topics.INSTANCES),
    INSTANCE_EXEC_STARTED("instance.exec-started", 1, ExecSessionStarted.class, Topics.INSTANCES),
    INSTANCE_EXEC_ENDED("instance.exec-ended", 1, ExecSessionEnded.class, Topics.INSTANCES),
    INSTANCE_USAGE_SAMPLED("instance.usage-sampled", 1, InstanceUsageSampled.class, Topics.USAGE),
    BILLING_INVOICE_FINALIZED("billing.invoice-finalized", 1, InvoiceFinalized.class, Topics.BILLING),
    BILLING_SPEND_ALERT("billing.spend-alert", 1, SpendAlert.class, Topics.BILLING),
    BILLING_SPEND_LIMIT_REACHED("billing.spend-limit-reached", 1, SpendLimitReached.class, Topics.BILLING),
    BILLING_SPEND_LIMIT_LIFTED("billing.spend-limit-lifted", 1, SpendLimitLifted.class, Topics.BILLING);

    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toMap(EventType::typeName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
            .collect(Collectors.toMap(EventType::payloadClass, Function.identity()));

    private final String typeName;
    private final int schemaVersion;
    private final Class<? extends EventPayload> payloadClass;
    private final String topic;

    EventType(String typeName, int schemaVersion, Class<? extends EventPayload> payloadClass, String topic) {
        this.typeName = typeName;
        this.schemaVersion = schemaVersion;
        this.payloadClass = payloadClass;
        this.topic = topic;
    }

    public String typeName() {
        return typeName;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public Class<? extends EventPayload> payloadClass() {
        return payloadClass;
    }

    public String topic() {
        return topic;
    }

    public static Optional<EventType> byName(String typeName) {
        return Optional.ofNullable(BY_NAME.get(typeName));
    }

    public static EventType of(EventPayload payload) {
        return BY_CLASS.get(payload.getClass());
    }
}
