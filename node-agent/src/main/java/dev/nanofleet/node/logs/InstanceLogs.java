package dev.nanofleet.node.logs;

import dev.nanofleet.node.host.InstanceFiles;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The output of every instance on this node, whichever runtime runs it: finds an instance's {@code output.log} and
 * rotates them all. The runtimes own the files and write them; this class only reads, copies and truncates.
 * Thread-safe; {@link #rotateAll} is meant for one periodic thread.
 */
public final class InstanceLogs {

    private static final Logger LOG = System.getLogger(InstanceLogs.class.getName());

    private final List<InstanceFiles> roots;
    private final LogRotator rotator;

    /**
     * @param roots where the runtimes keep their instances ({@code RuncRuntime}: {@code <state-dir>/instances},
     *        {@code QemuRuntime}: {@code <state-dir>/vms})
     */
    public InstanceLogs(List<InstanceFiles> roots, LogRotator rotator) {
        this.roots = List.copyOf(roots);
        this.rotator = rotator;
    }

    /** The runc and QEMU runtimes' layout under the agent's state directory. */
    public static InstanceLogs forStateDir(Path stateDir, LogRotator rotator) {
        return new InstanceLogs(List.of(new InstanceFiles(stateDir.resolve("instances")),
                new InstanceFiles(stateDir.resolve("vms"))), rotator);
    }

    /** The instance's log, if this node has the instance (its directory exists). */
    public Optional<Instance> find(UUID id) {
        for (InstanceFiles files : roots) {
            if (Files.isDirectory(files.dir(id))) {
                return Optional.of(new Instance(id, files.outputLog(id), files.dir(id)));
            }
        }
        return Optional.empty();
    }

    /** Rotates every instance's log that outgrew the limit; a failure on one is logged and the others go on. */
    public int rotateAll() {
        int rotated = 0;
        for (InstanceFiles files : roots) {
            for (UUID id : files.ids()) {
                try {
                    if (rotator.rotateIfNeeded(files.outputLog(id))) {
                        rotated++;
                        LOG.log(Level.INFO, "event=logs.rotated instance={0}", id);
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "event=logs.rotate.failed instance={0} reason=\"{1}\"", id,
                            e.getMessage());
                }
            }
        }
        return rotated;
    }

    /** One instance's output file and directory. */
    public record Instance(UUID id, Path log, Path dir) {
        /**
         * Whether the instance has ended, so its output is complete: the runtime recorded its exit ({@code exit.json},
         * or the runc wrapper's {@code exit-code}) or its directory was removed.
         */
        public boolean ended() {
            return !Files.isDirectory(dir) || Files.exists(dir.resolve("exit.json"))
                    || Files.exists(dir.resolve("exit-code"));
        }
    }
}
