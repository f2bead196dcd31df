package dev.nanofleet.node.host;

import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An instance's root file system as a copy-on-write view of its image's: the image is unpacked once per digest (by the
 * image store) and never written; each instance sees it through an overlayfs mount at {@code bundle/rootfs} whose
 * writes go to {@code bundle/overlay/upper}. Starting an instance so costs one mount instead of an unpack, and two
 * instances of one image share its files on disk and in the page cache. A VM's QEMU serves the mounted view over 9p.
 *
 * <p>
 * The mount lives as long as a run: the runtime mounts it before the instance starts (again for each restart: the upper
 * directory keeps what earlier runs wrote) and unmounts it once the run ended, so nothing stays mounted for an instance
 * that does not run. {@link InstanceFiles#remove} unmounts before it deletes.
 *
 * <p>
 * Where overlayfs cannot be mounted (a kernel without it, a state directory on a file system that cannot be an upper
 * layer), the image's tree is copied into {@code bundle/rootfs} once ({@code cp --reflink=auto}: a clone where the file
 * system can) and restarts run on that copy. Which one applies is probed once per process.
 *
 * <p>
 * Thread-safe as long as one instance's bundle is handled by one thread at a time (the runtimes' per-instance locks).
 */
public final class RootfsOverlay {

    private static final Logger LOG = System.getLogger(RootfsOverlay.class.getName());
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(10);
    /** null until probed: whether the mount options with metacopy, plain overlay, or nothing work here. */
    private static volatile Mode mode;

    private enum Mode {
        /**
         * Changing a lower file's owner or mode copies up only its metadata: a VM's rootfs hand-over (every file
         * re-owned) then costs no data copies.
         */
        OVERLAY_METACOPY, OVERLAY, COPY
    }

    private RootfsOverlay() {
    }

    /** Where the instance's root file system is seen: the mount point of its overlay. */
    public static Path mountPoint(Path bundle) {
        return bundle.resolve("rootfs");
    }

    /** What the instance wrote to its root file system. */
    static Path upper(Path bundle) {
        return bundle.resolve("overlay").resolve("upper");
    }

    private static Path work(Path bundle) {
        return bundle.resolve("overlay").resolve("work");
    }

    /**
     * Makes {@code bundle/rootfs} show {@code lower} with this instance's writes on top. Idempotent: a rootfs mounted
     * already (a restart, or a run an earlier agent mounted) is left as it is.
     *
     * @param lower the image's unpacked root file system; read, never written
     * @throws RuntimeFailure when neither a mount nor a copy could be made
     */
    public static void mount(Path lower, Path bundle) {
        Path target = mountPoint(bundle);
        if (isMounted(target)) {
            return;
        }
        try {
            Files.createDirectories(target);
            Files.createDirectories(upper(bundle));
            Files.createDirectories(work(bundle));
        } catch (IOException e) {
            throw new RuntimeFailure("cannot create the rootfs directories in " + bundle + ": " + e.getMessage(), e);
        }
        Mode m = mode;
        if (m == null || m != Mode.COPY) {
            m = mountOverlay(lower, bundle, target, m);
        }
        if (m == Mode.COPY) {
            copy(lower, target);
        }
    }

    /** Unmounts the instance's rootfs if it is mounted. Idempotent; the upper directory stays. */
    public static void unmount(Path bundle) {
        Path target = mountPoint(bundle);
        if (!isMounted(target)) {
            return;
        }
        Exec.Result result = Exec.run(List.of("umount", target.toString()), TOOL_TIMEOUT);
        if (!result.ok() && isMounted(target)) {
            // something still holds a file in it (a process that has not quite gone): detach it now, the kernel
            // frees it when the last user is gone
            Exec.Result lazy = Exec.run(List.of("umount", "--lazy", target.toString()), TOOL_TIMEOUT);
            if (!lazy.ok() && isMounted(target)) {
                throw new RuntimeFailure("cannot unmount " + target + ": " + lazy.message());
            }
        }
    }

    /**
     * Unmounts every rootfs below {@code root} (an instances directory) for which {@code keep} says no: what an agent
     * that died mid-start, or between a run's end and its unmount, left mounted.
     *
     * @return the mount points unmounted
     */
    public static List<Path> unmountBelow(Path root, java.util.function.Predicate<Path> keep) {
        List<Path> unmounted = new ArrayList<>();
        root = root.toAbsolutePath().normalize();
        for (Path target : mountPoints()) {
            if (!target.startsWith(root) || !target.getFileName().toString().equals("rootfs")) {
                continue;
            }
            Path bundle = target.getParent();
            if (keep.test(bundle)) {
                continue;
            }
            try {
                unmount(bundle);
                unmounted.add(target);
            } catch (RuntimeFailure e) {
                LOG.log(Level.WARNING, "event=rootfs.unmount.failed path={0} reason=\"{1}\"", target, e.getMessage());
            }
        }
        return unmounted;
    }

    /** Whether any mount uses {@code lower} as a lower layer: an image's unpacked tree must not go while one does. */
    public static boolean inUseAsLower(Path lower) {
        String option = "lowerdir=" + lower;
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.anyMatch(line -> {
                int at = line.indexOf(option);
                if (at < 0) {
                    return false;
                }
                int end = at + option.length();
                return end == line.length() || line.charAt(end) == ',' || line.charAt(end) == ':';
            });
        } catch (IOException | UncheckedIOException e) {
            return true; // unknown: keep it
        }
    }

    /** Whether {@code path} is a mount point (of this process' mount namespace). */
    public static boolean isMounted(Path path) {
        return mountPoints().contains(path.toAbsolutePath().normalize());
    }

    private static List<Path> mountPoints() {
        List<Path> points = new ArrayList<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            lines.forEach(line -> {
                String[] fields = line.split(" ", 6);
                if (fields.length > 4) {
                    points.add(Path.of(unescape(fields[4])));
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new RuntimeFailure("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
        return points;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                try {
                    out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Tries the best mode not yet ruled out; returns the mode that worked (COPY: none did). */
    private static Mode mountOverlay(Path lower, Path bundle, Path target, Mode known) {
        for (Mode candidate : known == null ? List.of(Mode.OVERLAY_METACOPY, Mode.OVERLAY) : List.of(known)) {
            String options = "lowerdir=" + lower + ",upperdir=" + upper(bundle) + ",workdir=" + work(bundle)
                    + (candidate == Mode.OVERLAY_METACOPY ? ",metacopy=on" : "");
            if (!safeInOptions(lower) || !safeInOptions(bundle)) {
                // a comma or colon would split the option string; such a state directory gets copies
                return Mode.COPY;
            }
            Exec.Result result = Exec.run(List.of("mount", "-t", "overlay", "-o", options, "overlay", target
                    .toString()), TOOL_TIMEOUT);
            if (result.ok()) {
                if (mode == null) {
                    mode = candidate;
                    LOG.log(Level.INFO, "event=rootfs.mode mode={0}", candidate);
                }
                return candidate;
            }
            LOG.log(Level.INFO, "event=rootfs.overlay.refused metacopy={0} reason=\"{1}\"",
                    candidate == Mode.OVERLAY_METACOPY, result.message());
        }
        if (known == null) {
            mode = Mode.COPY;
            LOG.log(Level.WARNING, "event=rootfs.mode mode=COPY reason=\"overlayfs cannot be mounted here: each "
                    + "instance gets a copy of its image's files\"");
            return Mode.COPY;
        }
        throw new RuntimeFailure("cannot mount the rootfs overlay at " + target);
    }

    private static boolean safeInOptions(Path path) {
        String s = path.toString();
        return s.indexOf(',') < 0 && s.indexOf(':') < 0 && s.indexOf('\\') < 0;
    }

    /** The copy fallback: once per instance (a restart finds the copy and its writes). */
    private static void copy(Path lower, Path target) {
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isPresent()) {
                return;
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot read " + target + ": " + e.getMessage(), e);
        }
        Exec.Result result = Exec.run(List.of("cp", "-a", "--reflink=auto", lower + "/.", target.toString()),
                COPY_TIMEOUT);
        if (!result.ok()) {
            throw new RuntimeFailure("cannot copy the image's files into " + target + ": " + result.message());
        }
    }
}
