package dev.nanofleet.nodeapi;

/** Paths and the token claim of the node API, shared by control-api and the node agent. */
public final class NodeApi {
    public static final String BASE = "/v1/node-api/nodes/{node}";
    public static final String REGISTRATION = BASE + "/registration";
    public static final String HEARTBEAT = BASE + "/heartbeat";
    public static final String ASSIGNMENTS = BASE + "/assignments";
    public static final String INSTANCE_STATUS = BASE + "/instances/{instanceId}/status";
    public static final String USAGE = BASE + "/usage";
    /** On the node agent: an instance's output, for control-api only (role {@link #CONTROL_PLANE_ROLE}). */
    public static final String AGENT_INSTANCE_LOGS = "/v1/agent/instances/{instanceId}/logs";
    /** The realm role of control-api's own identity, which the node agent accepts on its API. */
    public static final String CONTROL_PLANE_ROLE = "control-plane";
    /** The access-token claim naming the node a token speaks for. */
    public static final String NODE_CLAIM = "node_name";
    /** The realm role every node identity has. */
    public static final String NODE_ROLE = "node";

    private NodeApi() {
    }
}
