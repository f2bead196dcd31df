package dev.nanofleet.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ImagePullException;
import dev.nanofleet.node.core.PreparedImage;
import dev.nanofleet.node.core.Reconciler;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.runtime.OciRuntimeDetector;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.node.testing.RecordingControlPlane;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.RegistryCredentials;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.testsupport.Await;
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

/** Pulls from a registry that requires a login (docker-registry with htpasswd auth). */
class PrivateRegistryIT {

    private static final RegistryCredentials RIGHT = new RegistryCredentials("acme-ci", "pull-s3cret");
    private static OciRegistry registry;
    private static String image;
    private static Path stateDir;

    @BeforeAll
    static void startRegistry() throws IOException {
        NodeHost.require("runc", "skopeo", "umoci", "docker-registry", "busybox");
        registry = OciRegistry.startEphemeral(RIGHT.username(), RIGHT.password());
        image = DemoImage.pushTo(registry.address(), RIGHT.username(), RIGHT.password());
        stateDir = Files.createTempDirectory("nanofleet-private-registry-it");
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
    void a_private_image_needs_its_credentials_even_once_cached() throws IOException {
        SkopeoImageStore images = new SkopeoImageStore(stateDir, false);
        Path bundle = stateDir.resolve("bundles/a");

        assertThatThrownBy(() -> images.prepare(image, bundle)).isInstanceOfSatisfying(ImagePullException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ImagePullException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).startsWith("not authorized to pull " + image);
                });
        assertThatThrownBy(() -> images.prepare(image, new RegistryCredentials("acme-ci", "wrong"), bundle))
                .isInstanceOfSatisfying(ImagePullException.class,
                        e -> assertThat(e.kind()).isEqualTo(ImagePullException.Kind.UNAUTHORIZED));

        PreparedImage prepared = images.prepare(image, RIGHT, bundle);
        assertThat(prepared.bundle().resolve("config.json")).exists();
        assertThat(images.cachedDigests()).containsExactly(prepared.digest());
        // cached now, and still refused to a caller without the login
        assertThatThrownBy(() -> images.prepare(image, stateDir.resolve("bundles/b")))
                .isInstanceOfSatisfying(ImagePullException.class,
                        e -> assertThat(e.kind()).isEqualTo(ImagePullException.Kind.UNAUTHORIZED));
        // the login was written for skopeo only while it ran
        try (Stream<Path> files = Files.list(stateDir.resolve("images"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("auth-"));
        }
    }

    @Test
    void an_assignment_without_the_login_fails_with_the_reason_and_one_with_it_runs() {
        String oci = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, stateDir.resolve("probe"))
                .binary();
        RuncRuntime runtime = new RuncRuntime(oci, stateDir, HostFacts.hardLimits());
        RecordingControlPlane controlPlane = new RecordingControlPlane();
        Reconciler reconciler = new Reconciler(controlPlane, List.of(runtime), new SkopeoImageStore(stateDir, false),
                Runnable::run, Clock.systemUTC(), Duration.ofSeconds(1));
        UUID anonymous = UUID.randomUUID();
        UUID withLogin = UUID.randomUUID();
        controlPlane.assign(assignment(anonymous, null));
        controlPlane.assign(assignment(withLogin, RIGHT));
        try {
            Await.untilAsserted(Duration.ofSeconds(60), "both instances settled", () -> {
                reconciler.reconcile();
                assertThat(controlPlane.lastReport(anonymous).state()).isEqualTo(InstanceState.FAILED);
                assertThat(controlPlane.lastReport(withLogin).state()).isEqualTo(InstanceState.RUNNING);
            });
            assertThat(controlPlane.lastReport(anonymous).reason())
                    .startsWith("image pull failed: not authorized to pull " + image);
        } finally {
            controlPlane.unassign(anonymous);
            controlPlane.unassign(withLogin);
            runtime.stop(withLogin, Duration.ZERO);
            runtime.remove(withLogin);
        }
    }

    private static Assignment assignment(UUID id, RegistryCredentials credentials) {
        return new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.SHARED, new Resources(200, 32),
                List.of("sleep", "600"), Map.of(), DesiredState.RUNNING, RestartPolicy.NEVER, List.of(),
                credentials);
    }
}
