package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The local node agent. Its instances outlive the agent on purpose (a restarted agent adopts them), so stopping the
 * local platform also removes the containers it left, or they would run on with nobody to stop them.
 */
final class NodeAgentService implements Component {

    private final QuarkusService agent;
    private final Path stateDir;

    NodeAgentService(int port, Path stateDir, Map<String, String> config) {
        this.agent = new QuarkusService("node-agent", port, config, "192m");
        this.stateDir = stateDir;
    }

    /** Where the agent keeps runc's state ({@code runc --root}). */
    Path runcRoot() {
        return stateDir.resolve("oci-state");
    }

    @Override
    public String name() {
        return agent.name();
    }

    @Override
    public String endpoint() {
        return agent.endpoint();
    }

    @Override
    public long start(Layout layout) {
        return agent.start(layout);
    }

    @Override
    public boolean ready() {
        return agent.ready();
    }

    @Override
    public void afterStop(Layout layout) {
        if (!Files.isDirectory(runcRoot())) {
            return;
        }
        String ids = ManagedProcess.run(Duration.ofSeconds(20),
                List.of("runc", "--root", runcRoot().toString(), "list", "-q"));
        for (String id : ids.lines().map(String::strip).filter(line -> !line.isEmpty()).toList()) {
            ManagedProcess.run(Duration.ofSeconds(20),
                    List.of("runc", "--root", runcRoot().toString(), "delete", "--force", id));
        }
    }
}
