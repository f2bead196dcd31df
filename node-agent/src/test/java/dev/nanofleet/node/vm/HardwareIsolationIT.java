package dev.nanofleet.node.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.ContainerRuntime.Status;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.runtime.OciRuntimeDetector;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.BusyboxImage;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One image in both isolation modes (runc and a QEMU VM, TCG here), run straight on the runtimes: the process must
 * see the same thing in both.
 */
class HardwareIsolationIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    /** Prints what a runtime must get right, one fact a line; $$ is the shell, whose environ is what it was given. */
    private static final String PROBE = """
            echo "WD=$(pwd)"
            /bin/busybox grep -E '^(Uid|Gid|Groups|NoNewPrivs|Cap[A-Za-z]+):' /proc/$$/status
            /bin/busybox tr '\\0' '\\n' </proc/$$/environ | /bin/busybox sed 's/^/ENV /'
            i=0; for a in "$0" "$@"; do echo "ARG$i=$a"; i=$((i+1)); done
            echo "HOST=$(/bin/busybox hostname)"
            """;
    /** Every field runc honours, with the user and its groups by name, resolved from the image's own files. */
    private static final BusyboxImage ALL_FIELDS = BusyboxImage
            .of("probe/process", "1", List.of("/bin/busybox", "sh", "-c", PROBE))
            .withUser("app", BusyboxImage.ROOT_PASSWD + "app:x:1000:1000:app:/home/app:/bin/sh\n",
                    BusyboxImage.ROOT_GROUP + "app:x:1000:\nstaff:x:50:app\naudio:x:63:app\n")
            .withWorkingDir("/srv")
            .withEnv(List.of("PATH=/bin", "GREETING=from the image", "SHADOWED=image"))
            .withCmd(List.of("probe", "first arg", "it's second"));

    private static OciRegistry registry;
    private static Path stateDir;
    private static GuestKernel kernel;
    private static Accelerator.Probe accel;
    private static String ociRuntime;
    private static SkopeoImageStore images;

    @BeforeAll
    static void setUp() throws IOException {
        NodeHost.require("qemu-system-x86_64", "busybox", "skopeo", "umoci", "docker-registry", "apt-get",
                "dpkg-deb", "runc", "setpriv", "unshare");
        kernel = GuestKernel.ensure(FleetHome.cache().resolve("guest-kernel"), GuestKernel.PURPOSE_BUILT);
        accel = Accelerator.choose("auto");
        registry = OciRegistry.startEphemeral();
        stateDir = Files.createTempDirectory("nanofleet-isolation-it");
        ociRuntime = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, stateDir.resolve("probe"))
                .binary();
        images = new SkopeoImageStore(stateDir, false);
    }

    @AfterAll
    static void tearDown() {
        try (OciRegistry r = registry) {
            if (stateDir != null && kernel != null && ociRuntime != null) {
                for (ContainerRuntime runtime : List.of(vms(), containers())) {
                    for (RuntimeInstance i : runtime.list()) {
                        runtime.stop(i.id(), Duration.ZERO);
                        runtime.remove(i.id());
                    }
                }
            }
        } finally {
            if (stateDir != null) {
                Files2.deleteTree(stateDir);
            }
        }
    }

    private static QemuRuntime vms() {
        return new QemuRuntime(HostTools.get("qemu-system-x86_64").toString(), HostTools.get("busybox"), kernel, accel,
                stateDir, WAIT);
    }

    private static RuncRuntime containers() {
        return new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits());
    }

    private static Assignment assignment(UUID id, String image, Isolation isolation, List<String> command,
            Map<String, String> env) {
        return new Assignment(id, UUID.randomUUID(), "acme", image, isolation, new Resources(500, 64), command, env,
                DesiredState.RUNNING);
    }

    /** Runs the assignment to its end and returns its exit and output. */
    private static RuntimeInstance runToEnd(ContainerRuntime runtime, Assignment a) {
        runtime.start(a, images.prepare(a.image(), runtime.bundleDir(a.instanceId())));
        return Await.value(WAIT, a.instanceId() + " ended under " + runtime.isolation(), () -> {
            RuntimeInstance state = runtime.state(a.instanceId()).orElseThrow();
            if (state.status() != Status.EXITED) {
                throw new AssertionError("still " + state.status());
            }
            return state;
        });
    }

    private static List<String> output(Path log) throws IOException {
        return Files.readString(log).lines().toList();
    }

    @Test
    void one_image_with_every_process_field_set_prints_the_same_lines_under_runc_and_in_a_vm() throws IOException {
        String image = ALL_FIELDS.pushTo(registry);
        UUID id = UUID.randomUUID();
        Map<String, String> overrides = Map.of("SHADOWED", "request", "EXTRA", "from the request");
        RuncRuntime containers = containers();
        QemuRuntime vms = vms();

        RuntimeInstance shared = runToEnd(containers, assignment(id, image, Isolation.SHARED, List.of(), overrides));
        RuntimeInstance hardware = runToEnd(vms, assignment(id, image, Isolation.HARDWARE, List.of(), overrides));

        List<String> runc = output(containers.outputLog(id));
        List<String> vm = output(vms.outputLog(id));
        System.out.println("[it] runc:\n  " + String.join("\n  ", runc) + "\n[it] vm:\n  " + String.join("\n  ", vm));
        assertThat(shared.exitCode()).isZero();
        assertThat(hardware.exitCode()).isZero();
        assertThat(runc).contains("WD=/srv", "ARG0=probe", "ARG1=first arg", "ARG2=it's second",
                "ENV SHADOWED=request", "ENV EXTRA=from the request", "ENV GREETING=from the image",
                "ENV HOME=/home/app", "Uid:\t1000\t1000\t1000\t1000", "Gid:\t1000\t1000\t1000\t1000");
        assertThat(runc).anyMatch(line -> line.matches("Groups:\\s+50 63\\s*"));
        assertThat(vm).containsExactlyElementsOf(runc);
    }

    @Test
    void the_requests_command_replaces_the_images_in_both_modes_and_a_root_image_stays_root() throws IOException {
        String image = BusyboxImage.of("probe/root", "1", List.of("/bin/busybox", "false")).pushTo(registry);
        UUID id = UUID.randomUUID();
        List<String> command = List.of("/bin/busybox", "sh", "-c", PROBE, "override");
        RuncRuntime containers = containers();
        QemuRuntime vms = vms();

        RuntimeInstance shared = runToEnd(containers, assignment(id, image, Isolation.SHARED, command, Map.of()));
        RuntimeInstance hardware = runToEnd(vms, assignment(id, image, Isolation.HARDWARE, command, Map.of()));

        List<String> runc = output(containers.outputLog(id));
        assertThat(shared.exitCode()).isZero();
        assertThat(hardware.exitCode()).isZero();
        assertThat(runc).contains("WD=/", "ARG0=override", "Uid:\t0\t0\t0\t0");
        assertThat(output(vms.outputLog(id))).containsExactlyElementsOf(runc);
    }

    @Test
    void a_guests_root_cannot_create_a_setuid_root_file_on_the_host_nor_read_a_host_path_outside_its_rootfs()
            throws IOException {
        String image = BusyboxImage.of("probe/root", "1", List.of("/bin/busybox", "false")).pushTo(registry);
        String secret = "host-secret-" + UUID.randomUUID();
        Path hostFile = Files.writeString(stateDir.resolve("host-secret"), secret);
        UUID id = UUID.randomUUID();
        // as root in the guest: a setuid-root copy of the shell, a symlink to a host path, reads of it (a device node is
        // out of reach: root there has runc's capabilities, without CAP_MKNOD)
        String attack = String.join("; ", "cp /bin/busybox /suid-shell", "chown 0:0 /suid-shell",
                "chmod 4755 /suid-shell", "ls -ln /suid-shell",
                "ln -s " + hostFile + " /leak", "cat /leak", "cat /../../.." + hostFile, "echo attack done",
                "exec sleep 600");
        QemuRuntime vms = vms();

        vms.start(assignment(id, image, Isolation.HARDWARE, List.of("/bin/busybox", "sh", "-c", attack), Map.of()),
                images.prepare(image, vms.bundleDir(id)));
        Await.until(WAIT, "the guest tried", () -> Files.readString(vms.outputLog(id)).contains("attack done"));

        long qemu = vms.qemuPid(id).orElseThrow();
        String status = Files.readString(Path.of("/proc/" + qemu + "/status"));
        int uid = VmConfinement.uid(id);
        assertThat(status).containsPattern("\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n")
                .containsPattern("\nGid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n");
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + qemu + "/root"))).isEqualTo(
                vms.instanceDir(id).resolve("jail"));
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + qemu + "/ns/mnt")))
                .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")));
        String output = Files.readString(vms.outputLog(id));
        System.out.println("[it] guest:\n" + output);
        // the guest believes it made a setuid-root file ...
        assertThat(output).containsPattern("-rwsr-xr-x +1 0 +0 .*/suid-shell").doesNotContain(secret);
        // ... but the host holds a plain file of the VM's uid, and no symlink to follow
        Path rootfs = vms.bundleDir(id).resolve("rootfs");
        Map<String, Object> made = Files.readAttributes(rootfs.resolve("suid-shell"), "unix:uid,gid,mode");
        assertThat(made.get("uid")).isEqualTo(uid);
        assertThat(made.get("gid")).isEqualTo(uid);
        assertThat((Integer) made.get("mode") & 07000).isZero();
        assertThat(Files.isSymbolicLink(rootfs.resolve("leak"))).isFalse();

        vms.stop(id, Duration.ofSeconds(5));
    }
}
