package dev.nanofleet.node.app;

import dev.nanofleet.node.exec.ExecGrantCheck;
import dev.nanofleet.node.exec.GuestExec;
import dev.nanofleet.node.exec.InstanceExec;
import dev.nanofleet.node.exec.NodeExec;
import dev.nanofleet.node.exec.RuncExec;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.vm.QemuRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Exec into this node's instances, as beans: who may ({@link ExecGrantCheck}, with the key of the log grants) and the
 * {@link InstanceExec} port over both runtimes, set once the agent has built them ({@link NodeAgent}); empty without
 * {@code nanofleet.node.exec.helper}. Health checks of kind {@code exec} use {@link #exec()}'s
 * {@link InstanceExec#run} too.
 */
@ApplicationScoped
public class NodeExecs {

    private final Optional<Path> helper;
    private final ExecGrantCheck grants;
    private volatile InstanceExec exec;

    public NodeExecs(NodeConfig config, NodeLogs logs) {
        this.helper = config.exec().helper();
        this.grants = new ExecGrantCheck(config.name(), Clock.systemUTC(), logs.grants()::trustedKey);
    }

    /**
     * Builds the port over the agent's runtimes and gives new VMs the exec agent; before any instance starts.
     *
     * @throws IllegalStateException when the configured helper is not an executable file
     */
    void use(RuncRuntime shared, Optional<QemuRuntime> hardware) {
        if (helper.isEmpty()) {
            return;
        }
        Path h = helper.get();
        if (!Files.isRegularFile(h) || !Files.isExecutable(h)) {
            throw new IllegalStateException("nanofleet.node.exec.helper: " + h + " is not an executable file (build it"
                    + " with deploy/exec-helper/build DIR)");
        }
        hardware.ifPresent(vm -> vm.withExecHelper(h));
        exec = new NodeExec(new RuncExec(h, shared), hardware.map(GuestExec::new).orElse(null));
    }

    /** The port; empty before the agent started its runtimes, or without a helper. */
    public Optional<InstanceExec> exec() {
        return Optional.ofNullable(exec);
    }

    public ExecGrantCheck grants() {
        return grants;
    }
}
