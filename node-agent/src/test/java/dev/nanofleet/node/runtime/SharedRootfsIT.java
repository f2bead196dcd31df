package dev.nanofleet.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.ContainerRuntime.Status;
import dev.nanofleet.node.core.PreparedImage;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.host.RootfsOverlay;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.testing.MovableClock;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Instances of one image share its unpacked files (overlayfs, {@link RootfsOverlay}) with real runc, skopeo and umoci
 * against a local registry: each sees only its own writes, a run's mount goes when the run ends, and a restarted agent
 * keeps the mounts of what runs and drops the rest.
 */
class SharedRootfsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static String ociRuntime;

    private OciRegistry registry;
    private String image;
    private Path stateDir;
    private final MovableClock clock = new MovableClock();
    private RuncRuntime runtime;
    private SkopeoImageStore images;

    @BeforeAll
    static void requireTools() throws IOException {
        NodeHost.require("runc", "skopeo", "umoci", "docker-registry", "busybox");
        Path probe = Files.createTempDirectory("nanofleet-rootfs-probe");
        ociRuntime = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, probe).binary();
        Files2.deleteTree(probe);
    }

    @BeforeEach
    void start() throws IOException {
        registry = OciRegistry.startEphemeral();
        image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-rootfs-it");
        runtime = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits());
        images = new SkopeoImageStore(stateDir, false, Duration.ofSeconds(15), clock);
    }

    @AfterEach
    void cleanUp() {
        try (OciRegistry r = registry) {
            for (RuntimeInstance i : runtime.list()) {
                runtime.stop(i.id(), Duration.ZERO);
                runtime.remove(i.id());
            }
            for (UUID id : List.copyOf(idsOnDisk())) {
                RootfsOverlay.unmount(runtime.bundleDir(id));
            }
        } finally {
            Files2.deleteTree(stateDir);
        }
    }

    @Test
    void two_instances_of_one_image_share_one_unpacked_tree_and_neither_sees_the_others_writes() throws IOException {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        PreparedImage one = images.prepare(image, runtime.bundleDir(first));
        PreparedImage two = images.prepare(image, runtime.bundleDir(second));

        runtime.start(assignment(first, "echo first >/mark; echo first >>/bin/busybox.note; sleep 600"), one);
        runtime.start(assignment(second, "echo second >/mark; sleep 600"), two);

        assertThat(one.rootfs()).isEqualTo(two.rootfs());
        assertThat(one.shared()).isTrue();
        assertThat(count(stateDir.resolve("images/unpacked"))).isEqualTo(1);
        Path firstRoot = runtime.bundleDir(first).resolve("rootfs");
        Path secondRoot = runtime.bundleDir(second).resolve("rootfs");
        Await.until(WAIT, "both wrote their mark", () -> Files.exists(firstRoot.resolve("mark"))
                && Files.exists(secondRoot.resolve("mark")));
        assertThat(RootfsOverlay.isMounted(firstRoot)).isTrue();
        assertThat(RootfsOverlay.isMounted(secondRoot)).isTrue();
        assertThat(Files.readString(firstRoot.resolve("mark")).strip()).isEqualTo("first");
        assertThat(Files.readString(secondRoot.resolve("mark")).strip()).isEqualTo("second");
        Await.until(WAIT, "the first wrote beside busybox", () -> Files.exists(firstRoot.resolve("bin/busybox.note")));
        assertThat(secondRoot.resolve("bin/busybox.note")).doesNotExist();
        // the image's own files are never written
        assertThat(one.rootfs().resolve("mark")).doesNotExist();
        assertThat(one.rootfs().resolve("bin/busybox.note")).doesNotExist();
        assertThat(RootfsOverlay.inUseAsLower(one.rootfs())).isTrue();
    }

    @Test
    void a_run_that_ended_is_unmounted_and_a_restart_mounts_it_again_over_its_earlier_writes() {
        UUID id = UUID.randomUUID();
        PreparedImage prepared = images.prepare(image, runtime.bundleDir(id));
        Assignment counting = assignment(id, "echo run >>/runs; exit 3");
        Path root = runtime.bundleDir(id).resolve("rootfs");

        runtime.start(counting, prepared);
        Await.until(WAIT, "the first run ended", () -> runtime.state(id).map(RuntimeInstance::status)
                .filter(Status.EXITED::equals).isPresent());
        assertThat(RootfsOverlay.isMounted(root)).isFalse();

        runtime.start(counting, prepared);
        Await.until(WAIT, "the second run ended", () -> runtime.state(id).map(RuntimeInstance::status)
                .filter(Status.EXITED::equals).isPresent());
        RootfsOverlay.mount(prepared.rootfs(), prepared.bundle());
        try {
            assertThat(root.resolve("runs")).content().isEqualTo("run\nrun\n");
        } finally {
            RootfsOverlay.unmount(prepared.bundle());
        }
    }

    @Test
    void stop_unmounts_the_rootfs_and_remove_deletes_the_instances_writes_but_not_the_images_files() {
        UUID id = UUID.randomUUID();
        PreparedImage prepared = images.prepare(image, runtime.bundleDir(id));
        runtime.start(assignment(id, "echo x >/mine; trap 'exit 0' TERM; sleep 600 & wait"), prepared);
        Path root = runtime.bundleDir(id).resolve("rootfs");
        Await.until(WAIT, "it wrote", () -> Files.exists(root.resolve("mine")));

        runtime.stop(id, Duration.ofSeconds(5));
        assertThat(RootfsOverlay.isMounted(root)).isFalse();
        runtime.remove(id);

        assertThat(runtime.instanceDir(id)).doesNotExist();
        assertThat(prepared.rootfs().resolve("bin/busybox")).exists();
        assertThat(RootfsOverlay.inUseAsLower(prepared.rootfs())).isFalse();
    }

    @Test
    void a_restarted_agent_keeps_the_mount_of_a_running_instance_and_unmounts_a_leftover() {
        UUID running = UUID.randomUUID();
        UUID halfStarted = UUID.randomUUID();
        runtime.start(assignment(running, "sleep 600"), images.prepare(image, runtime.bundleDir(running)));
        // an agent that died between mounting and starting leaves this behind
        PreparedImage left = images.prepare(image, runtime.bundleDir(halfStarted));
        RootfsOverlay.mount(left.rootfs(), left.bundle());

        RuncRuntime restarted = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits());

        assertThat(RootfsOverlay.isMounted(runtime.bundleDir(running).resolve("rootfs"))).isTrue();
        assertThat(RootfsOverlay.isMounted(left.bundle().resolve("rootfs"))).isFalse();
        assertThat(restarted.state(running)).get().extracting(RuntimeInstance::status).isEqualTo(Status.RUNNING);
        runtime = restarted;
    }

    @Test
    void a_cached_image_starts_within_the_digest_ttl_without_its_registry_and_asks_again_after_it() {
        UUID first = UUID.randomUUID();
        PreparedImage prepared = images.prepare(image, runtime.bundleDir(first));
        registry.close();

        clock.advance(Duration.ofSeconds(10));
        PreparedImage again = images.prepare(image, runtime.bundleDir(UUID.randomUUID()));
        assertThat(again.digest()).isEqualTo(prepared.digest());

        clock.advance(Duration.ofSeconds(10));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> images.prepare(image, runtime.bundleDir(UUID
                .randomUUID()))).hasMessageContaining("unreachable");
    }

    private Assignment assignment(UUID id, String script) {
        return new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.SHARED, new Resources(200, 32), List.of(
                "sh", "-c", script), Map.of(), DesiredState.RUNNING);
    }

    private List<UUID> idsOnDisk() {
        try (Stream<Path> dirs = Files.list(stateDir.resolve("instances"))) {
            return dirs.map(d -> UUID.fromString(d.getFileName().toString())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        }
    }
}
