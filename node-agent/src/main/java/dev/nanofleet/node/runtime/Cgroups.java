package dev.nanofleet.node.runtime;

import dev.nanofleet.node.core.ContainerRuntime.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the cgroup files of an instance on a v1, v2 or hybrid host. The mount point is {@code /sys/fs/cgroup}; on a
 * hybrid host the v1 controllers sit under {@code /sys/fs/cgroup/<controller>} and the v2 tree under
 * {@code /sys/fs/cgroup/unified}.
 */
public final class Cgroups {

    static final Path MOUNT = Path.of("/sys/fs/cgroup");

    private Cgroups() {
    }

    /** True when the memory controller is v1 (hybrid or legacy host). */
    public static boolean memoryIsV1() {
        return Files.isDirectory(MOUNT.resolve("memory"));
    }

    /** The memory limit file of a cgroup: v1 {@code memory.limit_in_bytes} or v2 {@code memory.max}. */
    public static Path memoryLimitFile(String cgroup) {
        return memoryIsV1()
                ? MOUNT.resolve("memory").resolve(cgroup).resolve("memory.limit_in_bytes")
                : MOUNT.resolve(cgroup).resolve("memory.max");
    }

    /** How many processes the kernel's OOM killer killed in this cgroup, if the counter can be read. */
    public static Optional<Long> oomKills(String cgroup) {
        Path file = memoryIsV1()
                ? MOUNT.resolve("memory").resolve(cgroup).resolve("memory.oom_control")
                : MOUNT.resolve(cgroup).resolve("memory.events");
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("oom_kill ")) {
                    return Optional.of(Long.parseLong(line.substring("oom_kill ".length()).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * CPU time and memory in use of a cgroup: v1 {@code cpuacct.usage} and {@code memory.usage_in_bytes}, v2
     * {@code cpu.stat} and {@code memory.current}; inactive file cache is left out of memory, as {@code docker stats}
     * does, since the kernel drops it before it would OOM-kill.
     */
    public static Optional<Usage> usage(String cgroup) {
        try {
            long cpuNanos;
            long memory;
            long inactiveFile;
            if (memoryIsV1()) {
                cpuNanos = Long.parseLong(Files.readString(MOUNT.resolve("cpuacct").resolve(cgroup)
                        .resolve("cpuacct.usage")).strip());
                Path dir = MOUNT.resolve("memory").resolve(cgroup);
                memory = Long.parseLong(Files.readString(dir.resolve("memory.usage_in_bytes")).strip());
                inactiveFile = statValue(dir.resolve("memory.stat"), "total_inactive_file");
            } else {
                Path dir = MOUNT.resolve(cgroup);
                cpuNanos = statValue(dir.resolve("cpu.stat"), "usage_usec") * 1_000;
                memory = Long.parseLong(Files.readString(dir.resolve("memory.current")).strip());
                inactiveFile = statValue(dir.resolve("memory.stat"), "inactive_file");
            }
            return Optional.of(new Usage(cpuNanos, Math.max(0, memory - inactiveFile)));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A value of a flat-keyed cgroup file ({@code key value} per line); 0 when the key is absent. */
    private static long statValue(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(key + " ")) {
                return Long.parseLong(line.substring(key.length() + 1).strip());
            }
        }
        return 0;
    }

    /**
     * Removes the (empty) cgroup directories a runtime leaves behind, in every hierarchy. A cgroup still holding a
     * process cannot be removed; that is left as it is.
     */
    public static void removeLeftovers(String cgroup) {
        List<Path> hierarchies;
        try (Stream<Path> s = Files.list(MOUNT)) {
            hierarchies = s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return;
        }
        rmdir(MOUNT.resolve(cgroup));
        for (Path h : hierarchies) {
            rmdir(h.resolve(cgroup));
        }
    }

    private static void rmdir(Path dir) {
        // cgroupfs directories hold only virtual files: rmdir is the one way to remove them
        if (Files.isDirectory(dir)) {
            try {
                Files.delete(dir);
            } catch (IOException ignored) {
                // busy or already gone
            }
        }
    }
}
