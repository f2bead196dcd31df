package dev.nanofleet.events;

/**
 * The data of an event. Each payload is a record registered once in {@link EventType}; adding a field is a compatible
 * change (readers ignore fields they do not know), renaming or removing one needs a new schema version.
 */
public sealed interface EventPayload permits DeploymentCreated, DeploymentScaled, DeploymentDeleted, DeploymentRevised,
        RolloutProgressed, DeploymentStopped, DeploymentStarted, QuotaRefused, NodeRegistered, NodeHeartbeat,
        NodeSchedulingChanged, NodeStatusChanged, NodeRemoved, InstancePlaced, InstanceUnschedulable,
        InstanceStateChanged,
        InstanceHealthChanged, ExecSessionStarted, ExecSessionEnded, InstanceUsageSampled, InvoiceFinalized, SpendAlert,
        SpendLimitReached, SpendLimitLifted {

    /** The Kafka record key: the id of the aggregate whose events must stay in order. */
    String partitionKey();
}
