package dev.nanofleet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The demo image {@code demo/hello:1}: busybox (static) serving "Hello from Nanofleet" with
 * {@code httpd} on port 8080, built with {@code umoci} and pushed with {@code skopeo}.
 *
 * <p>
 * The OCI layout is built once and cached under {@code .fleet/cache/demo-image/<key>}, the key being
 * a hash of the busybox binary and of this recipe.
 */
public final class DemoImage {

    public static final String REPOSITORY = "demo/hello";
    public static final String TAG = "1";
    public static final String PAGE = "Hello from Nanofleet\n";
    public static final int PORT = 8080;
    public static final List<String> ENTRYPOINT = List.of("/bin/busybox", "httpd", "-f", "-v", "-p",
            String.valueOf(PORT), "-h", "/www");
    /** Change when the recipe below changes, so cached layouts are rebuilt. */
    private static final String RECIPE = "demo-image-v2 " + ENTRYPOINT + " " + PAGE;
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    private DemoImage() {
    }

    /** Builds (or reuses) the demo image and pushes it to {@code registry}; returns its reference. */
    public static String pushTo(OciRegistry registry) {
        return pushTo(registry.address());
    }

    /** Pushes to a registry at {@code host:port} (plain HTTP); returns {@code host:port/demo/hello:1}. */
    public static String pushTo(String registryAddress) {
        return pushTo(registryAddress, null, null);
    }

    /** Pushes to a registry that requires a login (when {@code user} is not null). */
    public static String pushTo(String registryAddress, String user, String password) {
        Path layout = ociLayout();
        String ref = reference(registryAddress);
        List<String> command = new ArrayList<>(List.of(HostTools.get("skopeo").toString(), "--insecure-policy",
                "copy", "--quiet", "--dest-tls-verify=false"));
        if (user != null) {
            command.add("--dest-creds=" + user + ":" + password);
        }
        command.addAll(List.of("oci:" + layout + ":" + TAG, "docker://" + ref));
        ManagedProcess.run(TOOL_TIMEOUT, command);
        return ref;
    }

    public static String reference(String registryAddress) {
        return registryAddress + "/" + REPOSITORY + ":" + TAG;
    }

    /** The OCI image layout holding the demo image under tag {@value #TAG}, built on first use. */
    public static synchronized Path ociLayout() {
        if (!Files.isRegularFile(BUSYBOX)) {
            throw new IllegalStateException("no static busybox at " + BUSYBOX + " (apt-get install busybox-static)");
        }
        Path cacheRoot = FleetHome.cache().resolve("demo-image");
        Path target = cacheRoot.resolve(key());
        if (Files.isRegularFile(target.resolve("index.json"))) {
            return target;
        }
        String umoci = HostTools.get("umoci").toString();
        long started = System.nanoTime();
        Path work = null;
        try {
            Files.createDirectories(cacheRoot);
            work = Files.createTempDirectory(cacheRoot, ".build-");
            Path layout = work.resolve("layout");
            Path bundle = work.resolve("bundle");
            String image = layout + ":" + TAG;
            umoci(umoci, "init", "--layout", layout.toString());
            umoci(umoci, "new", "--image", image);
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
            Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
            Files.createSymbolicLink(bin.resolve("httpd"), Path.of("busybox"));
            Path etc = Files.createDirectories(rootfs.resolve("etc"));
            Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.writeString(etc.resolve("group"), "root:x:0:\n");
            Files.createDirectories(rootfs.resolve("root"));
            Files.createDirectories(rootfs.resolve("tmp"));
            ManagedProcess.run(TOOL_TIMEOUT, List.of("chmod", "1777", rootfs.resolve("tmp").toString()));
            Path www = Files.createDirectories(rootfs.resolve("www"));
            Files.writeString(www.resolve("index.html"), PAGE, StandardCharsets.UTF_8);

            ManagedProcess.run(TOOL_TIMEOUT, List.of(umoci, "repack", "--image", image, bundle.toString()));
            List<String> config = new ArrayList<>(
                    List.of(umoci, "config", "--image", image, "--author", "nanofleet", "--config.user", "root",
                            "--config.workingdir", "/www", "--config.env", "PATH=/bin", "--config.exposedports",
                            PORT + "/tcp"));
            for (String arg : ENTRYPOINT) {
                config.add("--config.entrypoint");
                config.add(arg);
            }
            ManagedProcess.run(TOOL_TIMEOUT, config);
            umoci(umoci, "gc", "--layout", layout.toString());
            try {
                Files.move(layout, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isRegularFile(target.resolve("index.json"))) {
                    throw e;
                } // else: another process built it meanwhile
            }
            System.err.printf("[nanofleet] demo image built in %d ms: %s%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the demo image", e);
        } finally {
            Files2.deleteRecursively(work);
        }
    }

    private static void umoci(String umoci, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(umoci);
        cmd.addAll(List.of(args));
        ManagedProcess.run(TOOL_TIMEOUT, cmd);
    }

    private static String key() {
        try (InputStream in = Files.newInputStream(BUSYBOX)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(RECIPE.getBytes(StandardCharsets.UTF_8));
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
