package dev.nanofleet.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Host programs the tests need (skopeo, umoci, docker-registry, runc, ...).
 *
 * <p>
 * {@link #require(String...)}: when env {@code CI=true} a missing tool fails the test; otherwise
 * the test is skipped (JUnit's {@code TestAbortedException}) with a printed reason. {@code ./fleet}
 * installs them on Debian.
 */
public final class HostTools {

    private HostTools() {
    }

    /** The tool's path on PATH (also /usr/sbin and /sbin, which root's PATH may lack), if any. */
    public static Optional<Path> find(String tool) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether the environment says this is CI ({@code CI=true}). */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Returns the path of the first tool; when any is missing: fails if {@link #ci()}, else aborts
     * (skips) the current test. Needs JUnit (opentest4j) on the class path.
     */
    public static Path require(String... tools) {
        List<String> missing = new ArrayList<>();
        Path first = null;
        for (String t : tools) {
            Optional<Path> p = find(t);
            if (p.isEmpty()) {
                missing.add(t);
            } else if (first == null) {
                first = p.get();
            }
        }
        if (!missing.isEmpty()) {
            String msg = "host tool(s) missing: " + String.join(", ", missing)
                    + " (on Debian: apt-get install runc skopeo umoci docker-registry busybox-static; ./fleet does it as root)";
            if (ci()) {
                throw new IllegalStateException(msg + " [CI=true: failing instead of skipping]");
            }
            System.err.println("[nanofleet] SKIPPED: " + msg);
            throw new org.opentest4j.TestAbortedException(msg);
        }
        return first;
    }

    /** The path of a tool, or an IllegalStateException naming the Debian package (for non-test code). */
    public static Path get(String tool) {
        return find(tool).orElseThrow(() -> new IllegalStateException("host tool missing: " + tool
                + " (on Debian: apt-get install runc skopeo umoci docker-registry busybox-static)"));
    }

    /** Whether this process runs as root (uid 0). */
    public static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
