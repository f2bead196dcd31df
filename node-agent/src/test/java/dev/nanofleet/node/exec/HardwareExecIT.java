package dev.nanofleet.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.PreparedImage;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.node.vm.Accelerator;
import dev.nanofleet.node.vm.GuestKernel;
import dev.nanofleet.node.vm.QemuRuntime;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.OciRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exec into a real QEMU VM through its guest agent: piped, with a terminal, concurrent sessions on one channel, the
 * bounded run, and the end of every session with the VM.
 */
class HardwareExecIT {

    private static OciRegistry registry;
    private static Path stateDir;
    private static QemuRuntime runtime;
    private static GuestExec exec;
    private static final UUID INSTANCE = UUID.randomUUID();

    @BeforeAll
    static void startVm() throws Exception {
        NodeHost.require("qemu-system-x86_64", "busybox", "skopeo", "umoci", "docker-registry", "apt-get", "dpkg-deb",
                "gcc");
        Path helper = ExecHelperBuild.ensure();
        GuestKernel kernel = GuestKernel.ensure(FleetHome.cache().resolve("guest-kernel"), GuestKernel.PURPOSE_BUILT);
        registry = OciRegistry.startEphemeral();
        String image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-vm-exec-it");
        runtime = new QemuRuntime(HostTools.get("qemu-system-x86_64").toString(), HostTools.get("busybox"), kernel,
                Accelerator.choose("auto"), stateDir, Duration.ofSeconds(120));
        runtime.withExecHelper(helper);
        PreparedImage prepared = new SkopeoImageStore(stateDir, false).prepare(image, runtime.bundleDir(INSTANCE));
        runtime.start(new Assignment(INSTANCE, UUID.randomUUID(), "acme", image, Isolation.HARDWARE,
                new Resources(1000, 64), List.of(), Map.of("GREETING", "hello"), DesiredState.RUNNING), prepared);
        exec = new GuestExec(runtime);
    }

    @AfterAll
    static void stopVm() {
        try (OciRegistry r = registry) {
            if (runtime != null) {
                runtime.stop(INSTANCE, Duration.ZERO);
                runtime.remove(INSTANCE);
            }
        } finally {
            if (stateDir != null) {
                Files2.deleteTree(stateDir);
            }
        }
    }

    @Test
    void piped_stdin_reaches_the_process_and_stdout_and_stderr_stay_apart() throws Exception {
        ExecRecorder rec = new ExecRecorder();
        ExecSession s = exec.open(INSTANCE, ExecRequest.of(List.of("/bin/busybox", "sh", "-c",
                "cat; echo oops >&2; exit 4"), false, true), rec);
        s.stdin("hi\n".getBytes(StandardCharsets.UTF_8));
        s.closeStdin();

        assertThat(rec.exit.get(60, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(rec.stdout()).isEqualTo("hi\n");
        assertThat(rec.stderr()).isEqualTo("oops\n");
    }

    @Test
    void a_terminal_session_runs_in_the_containers_root_with_its_env_and_resizes() throws Exception {
        ExecRecorder rec = new ExecRecorder();
        ExecSession s = exec.open(INSTANCE, new ExecRequest(List.of("/bin/busybox", "sh"), true, true, 100, 30), rec);
        s.resize(120, 40);
        Await.until(Duration.ofSeconds(30), "the resize applied", () -> {
            s.stdin("stty size\n".getBytes(StandardCharsets.UTF_8));
            return rec.stdout().contains("40 120");
        });
        s.stdin("echo $((6*7)) $GREETING $(pwd); ls /www; exit 3\n".getBytes(StandardCharsets.UTF_8));

        assertThat(rec.exit.get(60, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(rec.stdout()).contains("42 hello /www").contains("index.html");
    }

    @Test
    void sessions_share_the_vms_channel_and_run_is_bounded() throws Exception {
        ExecRecorder slow = new ExecRecorder();
        ExecSession blocked = exec.open(INSTANCE, ExecRequest.of(List.of("/bin/busybox", "cat"), false, true), slow);
        InstanceExec.RunResult ok = exec.run(INSTANCE, List.of("/bin/busybox", "sh", "-c", "seq 1 10000; exit 2"),
                Duration.ofSeconds(60), 100);
        assertThat(ok.exitCode()).isEqualTo(2);
        assertThat(ok.output()).hasSize(100);
        InstanceExec.RunResult timedOut = exec.run(INSTANCE, List.of("/bin/busybox", "sleep", "30"),
                Duration.ofSeconds(1), 100);
        assertThat(timedOut.timedOut()).isTrue();
        blocked.kill();
        assertThat(slow.exit.get(60, TimeUnit.SECONDS)).isEqualTo(137);
    }
}
