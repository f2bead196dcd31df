package dev.nanofleet.node.app;

import dev.nanofleet.node.logs.AgentLogSource;
import dev.nanofleet.node.logs.InstanceLogs;
import dev.nanofleet.node.logs.KernelMessages;
import dev.nanofleet.node.logs.LogReader;
import dev.nanofleet.node.logs.LogRotator;
import dev.nanofleet.node.logs.LogsGrantCheck;
import dev.nanofleet.node.logs.NodeLogsGrantCheck;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;

/**
 * The node's logs as beans: its instances' (where they are, how they rotate, how they are read) and its own (the
 * agent's log, the kernel's messages).
 */
@ApplicationScoped
public class NodeLogs {

    /** How often a follower looks for new output: a line shows up at most this late. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(250);

    private final InstanceLogs instances;
    private final LogReader reader = new LogReader(FOLLOW_POLL);
    private final LogsGrantCheck grants;
    private final NodeLogsGrantCheck nodeGrants;
    private final KernelMessages kernel = new KernelMessages(KernelMessages.DEVICE, Duration.ofSeconds(30));
    private final NodeConfig.Logs config;

    public NodeLogs(NodeConfig config) {
        this.instances = InstanceLogs.forStateDir(config.stateDir(),
                new LogRotator(config.logs().maxBytes(), config.logs().maxFiles()));
        this.grants = new LogsGrantCheck(config.name(), Clock.systemUTC());
        // the same key as instance grants: control-api signs both, with scopes that keep them apart
        this.nodeGrants = new NodeLogsGrantCheck(config.name(), Clock.systemUTC(), grants::trustedKey);
        this.config = config.logs();
    }

    /** Who may read the node's own logs: control-api's node-logs grants. */
    public NodeLogsGrantCheck nodeGrants() {
        return nodeGrants;
    }

    public KernelMessages kernel() {
        return kernel;
    }

    /** How to read the agent's own log now, by the configuration and what this host has. */
    public AgentLogSource.Plan agentLog(int tail, boolean follow) {
        return AgentLogSource.plan(config.agentSource(), config.agentFile(), tail, follow, AgentLogSource.Host.real());
    }

    /** Who may read: control-api's grants, with the key from the registration answer. */
    public LogsGrantCheck grants() {
        return grants;
    }

    public InstanceLogs instances() {
        return instances;
    }

    public LogReader reader() {
        return reader;
    }
}
