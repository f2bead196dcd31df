package dev.nanofleet.nodeapi;

/** Paths, names and credentials of the node API, shared by control-api and the node agent. */
public final class NodeApi {
    /**
     * Where a new node trades a join token for its node credential ({@link NodeEnrollment}); the only node API call
     * without a node credential.
     */
    public static final String ENROLLMENTS = "/v1/node-enrollments";
    /** A node's name: unique in the fleet, 1-63 lower-case letters, digits, '.' or '-', alphanumeric at both ends. */
    public static final String NODE_NAME_PATTERN = "[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?";
    public static final String NODE_NAME_RULE = "must be 1-63 lower-case letters, digits, '.' or '-', starting and"
            + " ending alphanumeric";
    public static final String BASE = "/v1/node-api/nodes/{node}";
    public static final String REGISTRATION = BASE + "/registration";
    public static final String HEARTBEAT = BASE + "/heartbeat";
    public static final String ASSIGNMENTS = BASE + "/assignments";
    /**
     * A Server-Sent Events stream that says when the node's assignments changed: {@code event: }{@value #WATCH_CHANGED}
     * with {@code data: } a version that only grows (per stream), and comments as heartbeats. It carries no assignment
     * (no secret): the agent then fetches {@link #ASSIGNMENTS}, so a missed message costs nothing but time. One stream per
     * node: opening a second ends the first.
     */
    public static final String ASSIGNMENTS_WATCH = ASSIGNMENTS + "/watch";
    /** The event name of {@link #ASSIGNMENTS_WATCH}'s notifications. */
    public static final String WATCH_CHANGED = "changed";
    public static final String INSTANCE_STATUS = BASE + "/instances/{instanceId}/status";
    public static final String USAGE = BASE + "/usage";
    /** A node OS release's {@link OsReleaseManifest}; the version must be one control-api lists. */
    public static final String OS_RELEASE_MANIFEST = BASE + "/os-releases/{version}/manifest";
    /** One file of a node OS release, streamed ({@code application/octet-stream}); only names its manifest lists. */
    public static final String OS_RELEASE_FILE = BASE + "/os-releases/{version}/files/{file}";
    /** Where the node reports its OS upgrade's progress ({@link OsUpgradeReport}). */
    public static final String OS_UPGRADE = BASE + "/os-upgrade";
    /** On the node agent: an instance's output, for control-api only (a {@link LogsGrant} for that instance). */
    public static final String AGENT_INSTANCE_LOGS = "/v1/agent/instances/{instanceId}/logs";
    /**
     * On the node agent: the node's own logs, for control-api only (a {@link NodeLogsGrant} for that node). Query:
     * {@code source} ({@value #NODE_LOG_SOURCE_AGENT} or {@value #NODE_LOG_SOURCE_KERNEL}), {@code tail}, {@code follow}.
     */
    public static final String AGENT_NODE_LOGS = "/v1/agent/node/logs";
    /** The agent's own log (its journal unit on the node OS, its log file elsewhere). */
    public static final String NODE_LOG_SOURCE_AGENT = "agent";
    /** The kernel's ring buffer ({@code /dev/kmsg}). */
    public static final String NODE_LOG_SOURCE_KERNEL = "kernel";
    /**
     * On the node agent: a WebSocket into a process started in an instance, for control-api only (an {@link ExecGrant}
     * for that instance, that command, tty and stdin). Query: {@code command} (once per argv element), {@code tty},
     * {@code stdin}.
     */
    public static final String AGENT_INSTANCE_EXEC = "/v1/agent/instances/{instanceId}/exec";
    /** The field of the registration answer that carries the public key of {@link LogsGrant}s (base64 X.509). */
    public static final String LOGS_GRANT_KEY = "logsGrantKey";
    /** The role of every node identity (a node credential, {@code nfn_...}). */
    public static final String NODE_ROLE = "node";

    private NodeApi() {
    }
}
