package dev.nanofleet.node.app;

import dev.nanofleet.node.logs.InstanceLogs;
import dev.nanofleet.node.logs.LogReader;
import dev.nanofleet.node.logs.LogRotator;
import dev.nanofleet.node.logs.LogsGrantCheck;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;

/** The node's instance logs as beans: where they are, how they rotate, how they are read. */
@ApplicationScoped
public class NodeLogs {

    /** How often a follower looks for new output: a line shows up at most this late. */
    static final Duration FOLLOW_POLL = Duration.ofMillis(250);

    private final InstanceLogs instances;
    private final LogReader reader = new LogReader(FOLLOW_POLL);
    private final LogsGrantCheck grants;

    public NodeLogs(NodeConfig config) {
        this.instances = InstanceLogs.forStateDir(config.stateDir(),
                new LogRotator(config.logs().maxBytes(), config.logs().maxFiles()));
        this.grants = new LogsGrantCheck(config.name(), Clock.systemUTC());
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
