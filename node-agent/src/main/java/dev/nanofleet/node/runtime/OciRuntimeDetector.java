package dev.nanofleet.node.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanofleet.node.host.Exec;
import dev.nanofleet.node.host.Files2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds an OCI runtime that really runs a container on this host. Being installed is not enough: crun 1.8 refuses to
 * run on a cgroups v1/v2 hybrid host, so each candidate must run a probe container (host {@code /usr/bin/true}, bind
 * mounted read-only, inside a cgroup under {@code /nanofleet}) before it is chosen.
 */
public final class OciRuntimeDetector {

    /** Tried in this order: crun starts faster, runc works on more hosts. */
    public static final List<String> DEFAULT_CANDIDATES = List.of("crun", "runc");

    private static final List<Path> SEARCH = List.of(Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"),
            Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/sbin"), Path.of("/bin"));

    public record Detected(String binary, String version, List<String> rejected) {
    }

    private OciRuntimeDetector() {
    }

    /**
     * @param candidates names or absolute paths, in order of preference
     * @param workDir scratch space for the probe bundle and the probe's runtime state
     * @throws IllegalStateException naming every candidate and why it was rejected, if none works
     */
    public static Detected detect(List<String> candidates, Path workDir) {
        List<String> rejected = new ArrayList<>();
        for (String candidate : candidates) {
            Optional<Path> binary = resolve(candidate);
            if (binary.isEmpty()) {
                rejected.add(candidate + ": not installed");
                continue;
            }
            Exec.Result version = Exec.run(List.of(binary.get().toString(), "--version"), Duration.ofSeconds(10));
            if (!version.ok()) {
                rejected.add(candidate + ": --version failed: " + version.message());
                continue;
            }
            Optional<String> probeFailure = probe(binary.get().toString(), workDir);
            if (probeFailure.isPresent()) {
                rejected.add(candidate + ": probe container failed: " + probeFailure.get());
                continue;
            }
            return new Detected(binary.get().toString(), version.stdout().lines().findFirst().orElse("?"),
                    List.copyOf(rejected));
        }
        throw new IllegalStateException("no working OCI runtime on this node: " + String.join("; ", rejected));
    }

    public static Optional<Path> resolve(String candidate) {
        if (candidate.contains("/")) {
            Path p = Path.of(candidate);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        dirs.addAll(SEARCH);
        return dirs.stream().map(d -> d.resolve(candidate)).filter(Files::isExecutable).findFirst();
    }

    private static Optional<String> probe(String binary, Path workDir) {
        String id = "nanofleet-probe-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = workDir.resolve(id);
        Path root = dir.resolve("state");
        Path bundle = dir.resolve("bundle");
        try {
            Files.createDirectories(bundle.resolve("rootfs"));
            Exec.Result spec = Exec.run(List.of(binary, "spec", "--bundle", bundle.toString()), Duration.ofSeconds(10));
            if (!spec.ok()) {
                return Optional.of("spec: " + spec.message());
            }
            writeProbeConfig(bundle, id);
            Exec.Result run = Exec.run(List.of(binary, "--root", root.toString(), "run", "--bundle", bundle.toString(),
                    id), Duration.ofSeconds(30));
            return run.ok() ? Optional.empty() : Optional.of(run.message());
        } catch (IOException | RuntimeException e) {
            return Optional.of(e.toString());
        } finally {
            Exec.run(List.of(binary, "--root", root.toString(), "delete", "--force", id), Duration.ofSeconds(10));
            Cgroups.removeLeftovers("nanofleet/" + id);
            try {
                Files2.deleteTree(dir);
            } catch (UncheckedIOException ignored) {
                // a probe leftover in the scratch dir is harmless
            }
        }
    }

    private static void writeProbeConfig(Path bundle, String id) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        ObjectNode process = config.withObjectProperty("process");
        process.put("terminal", false);
        process.putArray("args").add("/usr/bin/true");
        process.remove("rlimits");
        config.withObjectProperty("root").put("readonly", true);
        ArrayNode mounts = config.withArrayProperty("mounts");
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("usr"));
        mounts.addObject().put("destination", "/usr").put("type", "bind").put("source", "/usr").putArray("options")
                .add("rbind").add("ro");
        for (String top : List.of("bin", "sbin", "lib", "lib64")) {
            Path host = Path.of("/", top);
            if (Files.isSymbolicLink(host)) {
                Files.createSymbolicLink(rootfs.resolve(top), Files.readSymbolicLink(host));
            } else if (Files.isDirectory(host)) {
                Files.createDirectories(rootfs.resolve(top));
                mounts.addObject().put("destination", "/" + top).put("type", "bind").put("source", host.toString())
                        .putArray("options").add("rbind").add("ro");
            }
        }
        ObjectNode linux = config.withObjectProperty("linux");
        linux.put("cgroupsPath", "/nanofleet/" + id);
        linux.withObjectProperty("resources").putObject("pids").put("limit", 16);
        json.writeValue(bundle.resolve("config.json").toFile(), config);
    }
}
