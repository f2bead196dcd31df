package dev.nanofleet.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny OCI image built from the host's static busybox with umoci: {@code /bin/busybox} plus applet links, PATH=/bin,
 * cmd {@code sh -c 'sleep 3600'}. Built once per JVM into a temporary OCI layout.
 */
public final class DemoImage {
    public static final String TAG = "1";
    private static Path layout;

    private DemoImage() {
    }

    /** The OCI layout holding the image, tagged {@link #TAG}. */
    public static synchronized Path layout() {
        if (layout != null) {
            return layout;
        }
        try {
            Path dir = Files.createTempDirectory("nanofleet-demo-image");
            Path oci = dir.resolve("oci");
            Path work = dir.resolve("work");
            Sh.run("umoci", "init", "--layout", oci.toString());
            Sh.run("umoci", "new", "--image", oci + ":" + TAG);
            Sh.run("umoci", "unpack", "--image", oci + ":" + TAG, work.toString());
            Path bin = work.resolve("rootfs/bin");
            Files.createDirectories(bin);
            Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
            for (String applet : new String[]{"sh", "sleep", "cat", "echo", "head", "dd", "ls", "true", "trap"}) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            Sh.run("umoci", "repack", "--image", oci + ":" + TAG, work.toString());
            Sh.run("umoci", "config", "--image", oci + ":" + TAG, "--config.env", "PATH=/bin", "--config.cmd", "sh",
                    "--config.cmd", "-c", "--config.cmd", "sleep 3600");
            layout = oci;
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image as an {@code oci:} reference skopeo understands. */
    public static String ociReference() {
        return "oci:" + layout() + ":" + TAG;
    }
}
