package dev.nanofleet.node.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ImageCollector;
import dev.nanofleet.node.core.PreparedImage;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.runtime.OciRuntimeDetector;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The image GC over a real skopeo/umoci cache and a real runc instance using the image. */
class ImageGarbageCollectionIT {

    private static OciRegistry registry;
    private static String image;
    private static Path stateDir;

    @BeforeAll
    static void startRegistry() throws IOException {
        NodeHost.require("runc", "skopeo", "umoci", "docker-registry", "busybox");
        registry = OciRegistry.startEphemeral();
        image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-image-gc-it");
    }

    @AfterAll
    static void stop() {
        try (OciRegistry r = registry) {
            // closing deletes the registry's directory
        } finally {
            if (stateDir != null) {
                Files2.deleteTree(stateDir);
            }
        }
    }

    @Test
    void an_image_stays_while_an_instance_uses_it_and_goes_with_its_blobs_afterwards() throws IOException {
        String oci = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, stateDir.resolve("probe"))
                .binary();
        RuncRuntime runtime = new RuncRuntime(oci, stateDir, HostFacts.hardLimits());
        SkopeoImageStore images = new SkopeoImageStore(stateDir, false);
        ImageCollector collector = new ImageCollector(images, List.of(runtime), Clock.systemUTC(), Duration.ZERO);
        UUID id = UUID.randomUUID();
        PreparedImage prepared = images.prepare(image, runtime.bundleDir(id));
        runtime.start(new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.SHARED, new Resources(200, 32),
                List.of("sleep", "600"), Map.of(), DesiredState.RUNNING), prepared);
        Path blobs = stateDir.resolve("images/oci/blobs/sha256");
        try {
            assertThat(images.digestOf(runtime.bundleDir(id))).contains(prepared.digest());
            assertThat(images.cachedDigests()).containsExactly(prepared.digest());
            assertThat(collector.collect()).isEmpty();
            assertThat(count(blobs)).isPositive();
        } finally {
            runtime.stop(id, Duration.ZERO);
            runtime.remove(id);
        }

        assertThat(collector.collect()).containsExactly(prepared.digest());
        assertThat(images.cachedDigests()).isEmpty();
        assertThat(count(blobs)).isZero();

        // the next instance of the image simply pulls it again
        UUID again = UUID.randomUUID();
        assertThat(images.prepare(image, runtime.bundleDir(again)).digest()).isEqualTo(prepared.digest());
        assertThat(images.cachedDigests()).containsExactly(prepared.digest());
        Files2.deleteTree(runtime.bundleDir(again));
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
