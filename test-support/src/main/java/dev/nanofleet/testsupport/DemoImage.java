package dev.nanofleet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The demo image {@code demo/hello:1}: busybox (static) serving "Hello from Nanofleet" with
 * {@code httpd} on port 8080, built with {@code umoci} and pushed with {@code skopeo}.
 *
 * <p>
 * The OCI layout is built once and cached under {@code ~/.cache/nanofleet/demo-image/<key>}, the key being
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
    private static final BusyboxImage IMAGE = new BusyboxImage(REPOSITORY, TAG, "root", "/www", List.of("PATH=/bin"),
            ENTRYPOINT, List.of(), BusyboxImage.ROOT_PASSWD, BusyboxImage.ROOT_GROUP, Map.of("www/index.html", PAGE),
            List.of(PORT));

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
        return user == null
                ? IMAGE.push(ociLayout(), registryAddress)
                : IMAGE.push(ociLayout(), registryAddress, user, password);
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
        long started = System.nanoTime();
        Path work = null;
        try {
            Files.createDirectories(cacheRoot);
            work = Files.createTempDirectory(cacheRoot, ".build-");
            Path layout = work.resolve("layout");
            IMAGE.build(layout);
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
