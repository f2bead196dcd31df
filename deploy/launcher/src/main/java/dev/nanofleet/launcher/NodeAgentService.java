package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local node agent. Its instances (runc containers and QEMU VMs) outlive the agent on purpose (a restarted agent
 * adopts them), so stopping the local platform also removes what it left, or it would run on with nobody to stop it.
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

    /** Where the agent keeps one directory per VM, with QEMU's pid file {@code vm.pid}. */
    Path vmsDir() {
        return stateDir.resolve("vms");
    }

    @Override
    public void afterStop(Layout layout) {
        removeContainers();
        stopVms();
    }

    private void removeContainers() {
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

    private void stopVms() {
        if (!Files.isDirectory(vmsDir())) {
            return;
        }
        try (Stream<Path> vms = Files.list(vmsDir())) {
            for (Path pidFile : vms.map(vm -> vm.resolve("vm.pid")).filter(Files::isRegularFile).toList()) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                boolean qemu = ProcessHandle.of(pid).flatMap(p -> p.info().command())
                        .map(command -> command.contains("qemu")).orElse(false);
                if (qemu) {
                    ManagedProcess.stop(pid, Duration.ofSeconds(5));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new LaunchException("cannot stop the local node's VMs in " + vmsDir() + ": " + e, e);
        }
    }
}
