package dev.nanofleet.events;

/**
 * Kafka topic names. Every record's key is the aggregate id named per topic, so one aggregate's events stay in order.
 */
public final class Topics {
    /** deployment.* events; key = deployment id. */
    public static final String DEPLOYMENTS = "nanofleet.deployments.v1";
    /** instance.* events; key = deployment id, so the replicas of one deployment stay in order. */
    public static final String INSTANCES = "nanofleet.instances.v1";
    /** node.* events; key = node name. */
    public static final String NODES = "nanofleet.nodes.v1";
    /** instance.usage-sampled events; key = tenant, so one tenant's samples stay in order for billing. */
    public static final String USAGE = "nanofleet.usage.v1";
    /** billing.* events (invoices, spend alerts and limits); key = tenant. */
    public static final String BILLING = "nanofleet.billing.v1";

    private Topics() {
    }
}
