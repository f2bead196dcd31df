package dev.nanofleet.e2e.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.testsupport.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What really runs on one node, read from the host as its agent would: the OCI runtime's containers under the agent's
 * state directory ({@code <state>/oci-state}, with the runtime it recorded in {@code <state>/oci-runtime}: the
 * launcher's {@code NodeAgentService.runcRoot()} and {@code ociRuntime()}) and its VMs ({@code <state>/vms/<id>/vm.pid}
 * naming a live QEMU). Container ids and VM directories are instance ids.
 */
public record NodeProbe(String node, Path stateDir) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Instance ids with a live container (created, running or paused) or a live VM on this node. */
    public Set<UUID> running() {
        Set<UUID> ids = new TreeSet<>(containers());
        ids.addAll(vms());
        return ids;
    }

    private Set<UUID> containers() {
        Set<UUID> ids = new TreeSet<>();
        Path root = stateDir.resolve("oci-state");
        if (!Files.isDirectory(root)) {
            return ids;
        }
        String out = ManagedProcess.run(Duration.ofSeconds(20),
                List.of(runtime(), "--root", root.toString(), "list", "--format", "json"));
        try {
            JsonNode list = JSON.readTree(out.isBlank() ? "[]" : out);
            for (JsonNode c : list == null || list.isNull() ? JSON.createArrayNode() : list) {
                if (!"stopped".equals(c.path("status").asText())) {
                    uuid(c.path("id").asText()).ifPresent(ids::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable container list on " + node + ": " + out, e);
        }
        return ids;
    }

    private String runtime() {
        Path record = stateDir.resolve("oci-runtime");
        try {
            String chosen = Files.isRegularFile(record) ? Files.readString(record).strip() : "";
            return chosen.isEmpty() ? "runc" : chosen;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<UUID> vms() {
        Set<UUID> ids = new TreeSet<>();
        Path vms = stateDir.resolve("vms");
        if (!Files.isDirectory(vms)) {
            return ids;
        }
        try (Stream<Path> dirs = Files.list(vms)) {
            for (Path dir : dirs.toList()) {
                if (vmRuns(dir)) {
                    uuid(dir.getFileName().toString()).ifPresent(ids::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + vms, e);
        }
        return ids;
    }

    /** Whether the VM whose directory is {@code vmDir} has a live QEMU (its {@code vm.pid} names it). */
    public static boolean vmRuns(Path vmDir) {
        Path pidFile = vmDir.resolve("vm.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(p -> p.info().command())
                    .map(command -> command.contains("qemu")).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false; // none, or being written or removed
        }
    }

    private static java.util.Optional<UUID> uuid(String text) {
        try {
            return java.util.Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty(); // not one of the agent's (e.g. the runtime probe's container)
        }
    }
}
