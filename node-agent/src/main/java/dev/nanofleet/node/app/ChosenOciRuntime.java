package dev.nanofleet.node.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The OCI runtime this agent chose at start-up, recorded in {@code <state-dir>/oci-runtime} (the binary's path, one
 * line). Whoever cleans up after the agent (the local launcher's {@code ./fleet down}) must list and delete the
 * containers with the same runtime, because runc and crun do not see each other's containers; it reads this file.
 */
final class ChosenOciRuntime {

    /** Read by deploy/launcher's {@code NodeAgentService.OCI_RUNTIME_RECORD}: change both together. */
    static final String FILE = "oci-runtime";

    private ChosenOciRuntime() {
    }

    static Path file(Path stateDir) {
        return stateDir.resolve(FILE);
    }

    /** Records the choice, replacing the file atomically so a reader never sees half of it. */
    static void record(Path stateDir, String binary) {
        Path file = file(stateDir);
        Path tmp = stateDir.resolve(FILE + ".tmp");
        try {
            Files.writeString(tmp, binary + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the chosen OCI runtime in " + file, e);
        }
    }
}
