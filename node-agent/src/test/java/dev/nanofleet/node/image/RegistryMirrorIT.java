package dev.nanofleet.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.node.core.ImagePullException;
import dev.nanofleet.node.core.PreparedImage;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.Ports;
import dev.nanofleet.testsupport.OciRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment names a registry this node cannot reach; with a mirror for it, skopeo pulls the same image from the
 * mirror (as a node OS under QEMU pulls the host's {@code 127.0.0.1} registry through {@code 10.0.2.2}).
 */
class RegistryMirrorIT {

    private static OciRegistry mirror;
    /** A registry address nothing listens on: the name deployments use, reachable only through the mirror. */
    private static String unreachable;

    @BeforeAll
    static void startTheMirror() {
        NodeHost.require("skopeo", "umoci", "docker-registry");
        mirror = OciRegistry.startEphemeral();
        DemoImage.pushTo(mirror);
        unreachable = "127.0.0.1:" + Ports.free();
    }

    @AfterAll
    static void stop() {
        if (mirror != null) {
            mirror.close();
        }
    }

    @Test
    void an_image_of_an_unreachable_registry_is_pulled_from_its_mirror(@TempDir Path tmp) {
        SkopeoImageStore images = new SkopeoImageStore(tmp, false, Duration.ZERO, Clock.systemUTC(),
                RegistryMirrors.parse(List.of(unreachable + "=" + mirror.address())));

        PreparedImage prepared = images.prepare(DemoImage.reference(unreachable), tmp.resolve("bundle"));

        assertThat(prepared.digest()).startsWith("sha256:");
        assertThat(prepared.rootfs().resolve("www/index.html")).exists();
    }

    @Test
    void without_the_mirror_the_same_reference_cannot_be_pulled(@TempDir Path tmp) {
        SkopeoImageStore images = new SkopeoImageStore(tmp, false, Duration.ZERO, Clock.systemUTC());

        assertThatThrownBy(() -> images.prepare(DemoImage.reference(unreachable), tmp.resolve("bundle")))
                .isInstanceOf(ImagePullException.class).hasMessageContaining(unreachable);
    }
}
