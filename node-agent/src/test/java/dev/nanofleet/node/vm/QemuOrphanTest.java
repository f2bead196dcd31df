package dev.nanofleet.node.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM an agent left booting when it was killed (QEMU's pid file written, no {@code started} yet) must not outlive the
 * next agent unseen. A process whose command line names {@code nanofleet-<id>}, as QEMU's {@code -name} does, stands in
 * for QEMU.
 */
class QemuOrphanTest {

    private static final GuestKernel KERNEL = new GuestKernel(Path.of("/cache/nanofleet/vmlinuz"), List.of(),
            "6.1.192 (nanofleet)", true);

    @TempDir
    Path stateDir;

    private Process fakeQemu;

    @AfterEach
    void killFake() {
        if (fakeQemu != null) {
            fakeQemu.destroyForcibly();
        }
    }

    private QemuRuntime runtime() {
        return new QemuRuntime("qemu-system-x86_64", Path.of("/bin/busybox"), KERNEL,
                new Accelerator.Probe(Accelerator.TCG, "test"), stateDir, Duration.ofSeconds(30));
    }

    private UUID leftBooting(QemuRuntime runtime) throws Exception {
        UUID id = UUID.randomUUID();
        Path dir = runtime.instanceDir(id);
        Files.createDirectories(dir);
        fakeQemu = new ProcessBuilder("bash", "-c", "sleep 300; :", "nanofleet-" + id).start();
        Files.writeString(dir.resolve("vm.pid"), Long.toString(fakeQemu.pid()));
        return id;
    }

    @Test
    void a_vm_left_booting_by_a_killed_agent_is_killed_when_the_next_agent_lists_its_instances() throws Exception {
        QemuRuntime runtime = runtime();
        UUID id = leftBooting(runtime);
        assertThat(runtime.vmAlive(id)).isTrue();

        List<RuntimeInstance> listed = runtime.list();

        assertThat(listed).isEmpty();
        assertThat(fakeQemu.waitFor(10, TimeUnit.SECONDS)).as("the orphan was killed").isTrue();
        assertThat(runtime.vmAlive(id)).isFalse();
    }

    @Test
    void a_vm_that_had_started_is_adopted_not_killed() throws Exception {
        QemuRuntime runtime = runtime();
        UUID id = leftBooting(runtime);
        Files.writeString(runtime.instanceDir(id).resolve("started"), "");

        List<RuntimeInstance> listed = runtime.list();

        assertThat(listed).singleElement().satisfies(i -> assertThat(i.id()).isEqualTo(id));
        assertThat(fakeQemu.isAlive()).isTrue();
    }
}
