package dev.nanofleet.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.FleetHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What is on the node image's root (read from the squashfs listing, nothing mounted) and its figures against the
 * targets of issue 14. The baseline figures are in README.md, measured once.
 */
class ImageContentsIT {

    /** The committed baseline: a stock Debian install with the same software (README.md, "Baseline"). */
    static final long BASELINE_BYTES = NodeImageFigures.BASELINE_UNPACKED_BYTES;

    private static NodeImage image;
    private static List<String> paths;

    @BeforeAll
    static void build_the_image() throws Exception {
        image = NodeImage.get();
        paths = listing(image.file("root.img"));
    }

    @Test
    void no_login_path_package_manager_or_remote_shell_is_on_the_root() {
        List<String> forbidden = List.of("usr/bin/login", "usr/bin/su", "usr/sbin/sshd", "usr/bin/sshd",
                "usr/sbin/getty", "usr/sbin/agetty", "usr/bin/getty", "usr/bin/apt", "usr/bin/apt-get",
                "usr/bin/dpkg", "usr/bin/dpkg-deb", "usr/bin/bash", "usr/sbin/sulogin", "usr/bin/telnetd",
                "usr/sbin/telnetd", "usr/bin/nc", "usr/bin/busybox", "bin/busybox", "var/lib/dpkg", "etc/apt");
        assertThat(paths).as("paths on the node's root").doesNotContainAnyElementsOf(forbidden);
        assertThat(paths).as("no sshd anywhere").noneMatch(p -> p.endsWith("/sshd"));
    }

    @Test
    void every_getty_and_shell_unit_is_masked_and_root_has_no_shell() throws Exception {
        for (String unit : List.of("getty@.service", "serial-getty@.service", "console-getty.service",
                "autovt@.service", "rescue.service", "emergency.service", "debug-shell.service")) {
            assertThat(extract(image.file("root.img"), "etc/systemd/system/" + unit, true))
                    .as(unit + " masked").contains("-> /dev/null");
        }
        assertThat(extract(image.file("root.img"), "etc/passwd", false)).as("/etc/passwd")
                .containsPattern("(?m)^root:[^\\n]*:/usr/sbin/nologin$");
    }

    @Test
    void the_agent_jre_and_units_are_on_the_root() {
        assertThat(paths).contains("opt/nanofleet/jre/bin/java", "opt/nanofleet/agent/quarkus-run.jar",
                "etc/systemd/system/nanofleet-agent.service", "etc/systemd/system/nanofleet-enrolled.service",
                "usr/bin/runc", "usr/bin/skopeo", "usr/bin/umoci", "usr/bin/qemu-system-x86_64", "usr/sbin/ip",
                "usr/sbin/iptables", "usr/lib/systemd/systemd");
    }

    @Test
    void every_package_on_the_image_is_in_the_pinned_list() throws IOException {
        Path lock = FleetHome.repoRoot().resolve("deploy/node-image/packages.lock");
        Set<String> pinned = names(Files.readAllLines(lock));
        Set<String> installed = names(Files.readAllLines(image.file("packages.txt")));
        assertThat(installed).as("packages of the image not in %s (a new dependency: review it, then copy the"
                + " image's packages.txt over the lock)", lock).isSubsetOf(pinned);
    }

    private static Set<String> names(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.split("\\s+")[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void figures_are_within_the_targets() {
        long squashfs = image.figure("squashfs.bytes");
        long unpacked = image.figure("unpacked.bytes");
        long executables = image.figure("path.executables");
        long packages = image.figure("packages");
        double onDisk = 100.0 * (1 - (double) squashfs / BASELINE_BYTES);
        double unpackedSmaller = 100.0 * (1 - (double) unpacked / BASELINE_BYTES);
        System.out.printf(
                "[nanofleet] node image figures: squashfs %d MiB, unpacked %d MiB, %d packages, %d executables"
                        + " on PATH; baseline %d MiB, %d packages, %d executables: %.1f%% smaller on disk, %.1f%% unpacked%n",
                squashfs >> 20, unpacked >> 20, packages, executables, BASELINE_BYTES >> 20,
                NodeImageFigures.BASELINE_PACKAGES, NodeImageFigures.BASELINE_EXECUTABLES, onDisk, unpackedSmaller);
        assertThat(executables).as("executables on PATH").isLessThanOrEqualTo(400);
        assertThat(onDisk).as("%% smaller on disk than the baseline").isGreaterThanOrEqualTo(85.0);
        assertThat(packages).as("packages").isLessThan(NodeImageFigures.BASELINE_PACKAGES);
    }

    /** Every path in the squashfs, relative, without the leading "squashfs-root/". */
    static List<String> listing(Path image) throws IOException, InterruptedException {
        String out = run(List.of("unsquashfs", "-no-progress", "-l", "-o", "0", image.toString()));
        return out.lines().filter(l -> l.startsWith("squashfs-root/")).map(l -> l.substring("squashfs-root/".length()))
                .toList();
    }

    /** One file's content, or with {@code linkTarget} its long listing (which shows where a symlink points). */
    static String extract(Path image, String path, boolean linkTarget) throws IOException, InterruptedException {
        if (linkTarget) {
            return run(List.of("unsquashfs", "-no-progress", "-lls", image.toString(), path));
        }
        return run(List.of("unsquashfs", "-no-progress", "-cat", image.toString(), path));
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
