package dev.nanofleet.node.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A runtime's instances on disk: one directory per instance id under {@code root}, holding its {@code bundle/} (with
 * the image's {@code rootfs/}), its {@code output.log}, a VM's {@code jail/} and, once it ended, {@code exit.json} (how
 * it ended, which survives an agent restart); a VM's agent socket lives in {@link #SOCKETS}. Both the runc and the
 * QEMU runtime keep their instances this way. Thread-safe; {@link #lock} serialises work on one instance.
 */
public final class InstanceFiles {

    private final Path root;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<UUID, Object> locks = new ConcurrentHashMap<>();

    public InstanceFiles(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
    }

    public Path dir(UUID id) {
        return root.resolve(id.toString());
    }

    public Path bundle(UUID id) {
        return dir(id).resolve("bundle");
    }

    /** The instance's root file system: its image's files with its own writes on top ({@link RootfsOverlay}). */
    public Path rootfs(UUID id) {
        return bundle(id).resolve("rootfs");
    }

    /** The empty directory a VM's QEMU chroots into. */
    public Path jail(UUID id) {
        return dir(id).resolve("jail");
    }

    /**
     * Where Unix sockets of instances go. Not in the instance directory: a socket path must be shorter than 108 bytes,
     * and a state directory may be deep; {@code /tmp/nanofleet-vm-sockets/<uuid>.sock} always fits.
     */
    public static final Path SOCKETS = Path.of(System.getProperty("java.io.tmpdir"), "nanofleet-vm-sockets");

    /** The Unix socket of a VM's agent port (see {@link #SOCKETS}); its directory is created on demand. */
    public Path agentSocket(UUID id) {
        try {
            Files.createDirectories(SOCKETS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + SOCKETS, e);
        }
        return SOCKETS.resolve(id + ".sock");
    }

    /** Where an instance's stdout and stderr go. */
    public Path outputLog(UUID id) {
        return dir(id).resolve("output.log");
    }

    /** The ids of every instance directory (other entries are passed over). */
    public List<UUID> ids() {
        List<UUID> ids = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                try {
                    ids.add(UUID.fromString(dir.getFileName().toString()));
                } catch (IllegalArgumentException e) {
                    // not an instance
                }
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot list " + root + ": " + e.getMessage(), e);
        }
        return ids;
    }

    /**
     * Unmounts the rootfs of every instance not {@code running}: what an agent that died between mounting and
     * unmounting one left behind. Call before any instance starts (at agent start-up).
     */
    public void unmountLeftovers(java.util.function.Predicate<UUID> running) {
        RootfsOverlay.unmountBelow(root, bundle -> {
            try {
                return running.test(UUID.fromString(bundle.getParent().getFileName().toString()));
            } catch (IllegalArgumentException e) {
                return true; // not an instance's: not ours to touch
            }
        }).forEach(path -> System.getLogger(InstanceFiles.class.getName()).log(System.Logger.Level.INFO,
                "event=rootfs.leftover.unmounted path={0}", path));
    }

    /** The monitor to hold while starting, stopping or finishing this instance. */
    public Object lock(UUID id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    /** Unmounts the instance's rootfs and deletes its directory and lock; call with its lock held. */
    public void remove(UUID id) {
        RootfsOverlay.unmount(bundle(id));
        Files2.deleteTree(dir(id));
        locks.remove(id);
    }

    /** How the instance ended, if that was recorded. */
    public Optional<RuntimeInstance> readExit(UUID id) {
        Path file = dir(id).resolve("exit.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(file.toFile());
            return Optional.of(RuntimeInstance.exited(id, node.path("exitCode").asInt(-1),
                    node.hasNonNull("reason") ? node.get("reason").asText() : null));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records how the instance ended, atomically, and returns it as an exited instance. */
    public RuntimeInstance writeExit(UUID id, int exitCode, String reason) {
        ObjectNode record = json.createObjectNode().put("exitCode", exitCode);
        if (reason != null) {
            record.put("reason", reason);
        }
        Path dir = dir(id);
        try {
            // a temporary file of its own: the supervisor and a stop may record the same end at once, and a shared
            // name let one rename the other's file away
            Path partial = Files.createTempFile(dir, "exit.json.", ".tmp");
            Files.writeString(partial, record.toString(), StandardCharsets.UTF_8);
            Files.move(partial, dir.resolve("exit.json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot record the exit of " + id + ": " + e.getMessage(), e);
        }
        return RuntimeInstance.exited(id, exitCode, reason);
    }

    /** Best effort: a stale marker is overwritten or ignored on the next start anyway. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // see above
        }
    }

    public static void touch(Path file) {
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
