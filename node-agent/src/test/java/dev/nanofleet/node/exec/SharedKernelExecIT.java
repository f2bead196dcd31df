package dev.nanofleet.node.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.PreparedImage;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.runtime.OciRuntimeDetector;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
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

/** Exec into a real runc container through nf-exec: piped, with a terminal, and the bounded run for health checks. */
class SharedKernelExecIT {

    private static OciRegistry registry;
    private static Path stateDir;
    private static RuncRuntime runtime;
    private static RuncExec exec;
    private static final UUID INSTANCE = UUID.randomUUID();

    @BeforeAll
    static void startContainer() throws Exception {
        NodeHost.require("runc", "skopeo", "umoci", "docker-registry", "busybox", "gcc");
        Path helper = ExecHelperBuild.ensure();
        registry = OciRegistry.startEphemeral();
        String image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-exec-it");
        String oci = OciRuntimeDetector.detect(List.of("runc"), stateDir.resolve("probe")).binary();
        runtime = new RuncRuntime(oci, stateDir, HostFacts.hardLimits());
        PreparedImage prepared = new SkopeoImageStore(stateDir, false).prepare(image, runtime.bundleDir(INSTANCE));
        runtime.start(new Assignment(INSTANCE, UUID.randomUUID(), "acme", image, Isolation.SHARED,
                new Resources(500, 64), List.of("/bin/busybox", "sleep", "3600"), Map.of("GREETING", "hello"),
                DesiredState.RUNNING), prepared);
        exec = new RuncExec(helper, runtime);
    }

    @AfterAll
    static void removeContainer() {
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
        ExecSession s = exec.open(INSTANCE,
                ExecRequest.of(List.of("/bin/busybox", "sh", "-c", "cat; echo oops >&2; exit 4"),
                        false, true),
                rec);
        s.stdin("hi\n".getBytes(StandardCharsets.UTF_8));
        s.closeStdin();

        assertThat(rec.exit.get(30, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(rec.stdout()).isEqualTo("hi\n");
        assertThat(rec.stderr()).isEqualTo("oops\n");
    }

    @Test
    void a_terminal_session_runs_a_shell_in_the_containers_env_and_resizes() throws Exception {
        ExecRecorder rec = new ExecRecorder();
        ExecSession s = exec.open(INSTANCE, new ExecRequest(List.of("/bin/busybox", "sh"), true, true, 100, 30), rec);
        s.resize(120, 40);
        Await.until(Duration.ofSeconds(10), "the resize applied", () -> {
            s.stdin("stty size\n".getBytes(StandardCharsets.UTF_8));
            return rec.stdout().contains("40 120");
        });
        s.stdin("echo $((6*7)) $GREETING; exit 3\n".getBytes(StandardCharsets.UTF_8));

        assertThat(rec.exit.get(30, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(rec.stdout()).contains("42 hello");
    }

    @Test
    void run_returns_the_exit_code_and_bounded_output_and_kills_at_the_timeout() {
        InstanceExec.RunResult ok = exec.run(INSTANCE, List.of("/bin/busybox", "sh", "-c", "seq 1 10000; exit 2"),
                Duration.ofSeconds(20), 100);
        assertThat(ok.exitCode()).isEqualTo(2);
        assertThat(ok.output()).hasSize(100);
        assertThat(ok.truncated()).isTrue();

        long began = System.nanoTime();
        InstanceExec.RunResult slow = exec.run(INSTANCE, List.of("/bin/busybox", "sleep", "30"), Duration.ofMillis(500),
                100);
        assertThat(slow.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void a_missing_instance_or_program_is_refused_or_reported() throws Exception {
        assertThatThrownBy(() -> exec.open(UUID.randomUUID(), ExecRequest.of(List.of("id"), false, false),
                new ExecRecorder())).isInstanceOf(ExecRefused.class);
        ExecRecorder rec = new ExecRecorder();
        exec.open(INSTANCE, ExecRequest.of(List.of("no-such-program"), false, false), rec);
        assertThat(rec.exit.get(30, TimeUnit.SECONDS)).isNotZero();
    }
}
