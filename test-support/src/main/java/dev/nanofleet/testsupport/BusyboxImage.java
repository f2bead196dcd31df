package dev.nanofleet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A busybox (static) image with a chosen config: user, working dir, env, entrypoint, cmd, and its own
 * {@code /etc/passwd} and {@code /etc/group}, built with {@code umoci} into an OCI layout and pushed with
 * {@code skopeo}. Every config field a runtime must honour can be set, so a test can run one image in both isolation
 * modes and compare. The demo image ({@link DemoImage}) is one of these.
 *
 * @param repository e.g. {@code probe/process}
 * @param tag e.g. {@code 1}
 * @param user the image's {@code User}: {@code uid[:gid]} or names from {@code passwd} and {@code group}; null: none
 * @param workingDir the image's {@code WorkingDir}; null: none
 * @param env the image's {@code Env}, {@code KEY=value}
 * @param entrypoint the image's {@code Entrypoint}
 * @param cmd the image's {@code Cmd}
 * @param passwd the content of {@code /etc/passwd}
 * @param group the content of {@code /etc/group}
 * @param files more files (path relative to the root, content), e.g. a web page
 * @param exposedPorts the image's {@code ExposedPorts} (TCP)
 */
public record BusyboxImage(String repository, String tag, String user, String workingDir, List<String> env,
        List<String> entrypoint, List<String> cmd, String passwd, String group, Map<String, String> files,
        List<Integer> exposedPorts) {

    public static final String ROOT_PASSWD = "root:x:0:0:root:/root:/bin/sh\n";
    public static final String ROOT_GROUP = "root:x:0:\n";
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    public BusyboxImage {
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        files = Map.copyOf(new LinkedHashMap<>(files));
        exposedPorts = List.copyOf(exposedPorts);
    }

    /** An image running {@code entrypoint} as root in {@code /}, with only root in its passwd and group. */
    public static BusyboxImage of(String repository, String tag, List<String> entrypoint) {
        return new BusyboxImage(repository, tag, null, null, List.of("PATH=/bin"), entrypoint, List.of(), ROOT_PASSWD,
                ROOT_GROUP, Map.of(), List.of());
    }

    public BusyboxImage withUser(String newUser, String newPasswd, String newGroup) {
        return new BusyboxImage(repository, tag, newUser, workingDir, env, entrypoint, cmd, newPasswd, newGroup,
                files, exposedPorts);
    }

    public BusyboxImage withWorkingDir(String dir) {
        return new BusyboxImage(repository, tag, user, dir, env, entrypoint, cmd, passwd, group, files, exposedPorts);
    }

    public BusyboxImage withEnv(List<String> newEnv) {
        return new BusyboxImage(repository, tag, user, workingDir, newEnv, entrypoint, cmd, passwd, group, files,
                exposedPorts);
    }

    public BusyboxImage withCmd(List<String> newCmd) {
        return new BusyboxImage(repository, tag, user, workingDir, env, entrypoint, newCmd, passwd, group, files,
                exposedPorts);
    }

    public BusyboxImage withFiles(Map<String, String> newFiles) {
        return new BusyboxImage(repository, tag, user, workingDir, env, entrypoint, cmd, passwd, group, newFiles,
                exposedPorts);
    }

    /** Builds the image and pushes it to {@code registry}; returns its reference. */
    public String pushTo(OciRegistry registry) {
        Path work = null;
        try {
            work = Files.createTempDirectory("nanofleet-image-");
            Path layout = work.resolve("layout");
            build(layout);
            return push(layout, registry.address());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + repository + ":" + tag, e);
        } finally {
            Files2.deleteRecursively(work);
        }
    }

    /** Pushes the image in {@code layout} (built by {@link #build}) to a registry at {@code host:port} (plain HTTP). */
    String push(Path layout, String registryAddress, String... credentials) {
        String ref = registryAddress + "/" + repository + ":" + tag;
        List<String> command = new ArrayList<>(List.of(HostTools.get("skopeo").toString(), "--insecure-policy",
                "copy", "--quiet", "--dest-tls-verify=false"));
        if (credentials.length == 2) {
            command.add("--dest-creds=" + credentials[0] + ":" + credentials[1]);
        }
        command.addAll(List.of("oci:" + layout + ":" + tag, "docker://" + ref));
        ManagedProcess.run(TOOL_TIMEOUT, command);
        return ref;
    }

    /** Builds the image into a new OCI layout at {@code layout} (which must not exist), under {@link #tag}. */
    void build(Path layout) throws IOException {
        if (!Files.isRegularFile(BUSYBOX)) {
            throw new IllegalStateException("no static busybox at " + BUSYBOX + " (apt-get install busybox-static)");
        }
        String umoci = HostTools.get("umoci").toString();
        Path bundle = layout.resolveSibling(layout.getFileName() + "-bundle");
        String image = layout + ":" + tag;
        try {
            ManagedProcess.run(TOOL_TIMEOUT, List.of(umoci, "init", "--layout", layout.toString()));
            ManagedProcess.run(TOOL_TIMEOUT, List.of(umoci, "new", "--image", image));
            List<String> unpack = new ArrayList<>(List.of(umoci, "unpack"));
            if (!HostTools.root()) {
                unpack.add("--rootless");
            }
            unpack.addAll(List.of("--image", image, bundle.toString()));
            ManagedProcess.run(TOOL_TIMEOUT, unpack);

            Path rootfs = bundle.resolve("rootfs");
            Path bin = Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.setPosixFilePermissions(bin.resolve("busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String applet : List.of("sh", "httpd")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            Path etc = Files.createDirectories(rootfs.resolve("etc"));
            Files.writeString(etc.resolve("passwd"), passwd);
            Files.writeString(etc.resolve("group"), group);
            Files.createDirectories(rootfs.resolve("root"));
            Files.createDirectories(rootfs.resolve("tmp"));
            ManagedProcess.run(TOOL_TIMEOUT, List.of("chmod", "1777", rootfs.resolve("tmp").toString()));
            if (workingDir != null) {
                Files.createDirectories(rootfs.resolve(workingDir.substring(1)));
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = rootfs.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            }
            ManagedProcess.run(TOOL_TIMEOUT, List.of(umoci, "repack", "--image", image, bundle.toString()));

            List<String> config = new ArrayList<>(List.of(umoci, "config", "--image", image, "--author", "nanofleet"));
            if (user != null) {
                config.addAll(List.of("--config.user", user));
            }
            if (workingDir != null) {
                config.addAll(List.of("--config.workingdir", workingDir));
            }
            env.forEach(e -> config.addAll(List.of("--config.env", e)));
            entrypoint.forEach(arg -> config.addAll(List.of("--config.entrypoint", arg)));
            cmd.forEach(arg -> config.addAll(List.of("--config.cmd", arg)));
            exposedPorts.forEach(port -> config.addAll(List.of("--config.exposedports", port + "/tcp")));
            ManagedProcess.run(TOOL_TIMEOUT, config);
            ManagedProcess.run(TOOL_TIMEOUT, List.of(umoci, "gc", "--layout", layout.toString()));
        } finally {
            Files2.deleteRecursively(bundle);
        }
    }
}
