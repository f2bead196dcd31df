package dev.nanofleet.nodeimage;

import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The node image as {@code deploy/node-image/build} makes it, built (or found current in the cache) once per JVM. The
 * build needs root and Debian's tools: without them a test is skipped with the reason, or fails when {@code CI=true}.
 */
final class NodeImage {

    /** What the build reads and runs; the rest it installs with apt as root. */
    static final String[] HOST_TOOLS = {"mmdebstrap", "mksquashfs", "veritysetup", "sfdisk", "mkfs.vfat", "mcopy",
            "mkfs.ext4", "unsquashfs"};

    private static NodeImage built;

    final Path dir;
    final Properties figures;

    private NodeImage(Path dir, Properties figures) {
        this.dir = dir;
        this.figures = figures;
    }

    static synchronized NodeImage get() {
        if (built == null) {
            built = build();
        }
        return built;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    long figure(String key) {
        String value = figures.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("figures.properties of " + dir + " has no " + key);
        }
        return Long.parseLong(value.strip());
    }

    String rootHash() {
        return read(file("roothash"));
    }

    long dataBlocks() {
        return Long.parseLong(read(file("data-blocks")));
    }

    private static NodeImage build() {
        if (!"root".equals(System.getProperty("user.name"))) {
            String reason = "building the node image needs root (mmdebstrap, chroot)";
            if (HostTools.ci()) {
                throw new IllegalStateException(reason + " [CI=true: failing instead of skipping]");
            }
            System.err.println("[nanofleet] SKIPPED: " + reason);
            throw new org.opentest4j.TestAbortedException(reason);
        }
        HostTools.require(HOST_TOOLS);
        Path out = FleetHome.cache().resolve("node-image/current");
        Path script = FleetHome.repoRoot().resolve("deploy/node-image/build");
        try {
            Process process = new ProcessBuilder(script.toString(), out.toString()).inheritIO().start();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(script + " failed with exit code " + exit + " (its output is above)");
            }
            Properties figures = new Properties();
            try (Reader reader = Files.newBufferedReader(out.resolve("figures.properties"))) {
                figures.load(reader);
            }
            Path dir = out.toRealPath();
            System.out.println("[nanofleet] node image " + dir + ": " + figures);
            return new NodeImage(dir, figures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the node image", e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
