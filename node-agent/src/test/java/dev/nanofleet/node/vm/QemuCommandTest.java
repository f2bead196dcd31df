package dev.nanofleet.node.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuCommandTest {

    private static final GuestKernel KERNEL = new GuestKernel(Path.of("/cache/nanofleet/vmlinuz"), List.of(),
            "6.1.192 (nanofleet)", true);

    @TempDir
    Path stateDir;

    private List<String> command(Accelerator accelerator, int memoryMiB) {
        QemuRuntime runtime = new QemuRuntime("qemu-system-x86_64", Path.of("/bin/busybox"), KERNEL,
                new Accelerator.Probe(accelerator, "test"), stateDir, Duration.ofSeconds(30));
        UUID id = UUID.randomUUID();
        Assignment a = new Assignment(id, UUID.randomUUID(), "acme", "r/app:1", Isolation.HARDWARE,
                new Resources(1000, memoryMiB), List.of(), Map.of(), DesiredState.RUNNING);
        return runtime.qemuCommand(a, Path.of("/rootfs"), runtime.instanceDir(id), null, 0x70000001);
    }

    /** The value following {@code option} (the first occurrence). */
    private static String after(List<String> command, String option) {
        int at = command.indexOf(option);
        assertThat(at).as("option %s in %s", option, command).isNotNegative();
        return command.get(at + 1);
    }

    @Test
    void guest_ram_is_a_memfd_backend_of_the_vm_size_so_the_host_does_not_back_it_with_huge_pages() {
        List<String> c = command(Accelerator.TCG, 64);

        assertThat(after(c, "-m")).isEqualTo("96");
        assertThat(after(c, "-M")).isEqualTo("q35,memory-backend=ram");
        assertThat(after(c, "-object")).isEqualTo("memory-backend-memfd,id=ram,size=96M,share=on");
    }

    @Test
    void the_guest_hands_the_pages_it_frees_back_through_the_balloons_free_page_reporting() {
        assertThat(command(Accelerator.TCG, 64)).containsSequence("-device",
                "virtio-balloon-pci,free-page-reporting=on");
        assertThat(command(Accelerator.KVM, 64)).containsSequence("-device",
                "virtio-balloon-pci,free-page-reporting=on");
    }

    @Test
    void tcg_gets_a_16_mib_translation_cache_and_kvm_the_host_cpu() {
        List<String> tcg = command(Accelerator.TCG, 64);
        assertThat(after(tcg, "-accel")).isEqualTo("tcg,tb-size=16");
        assertThat(after(tcg, "-cpu")).isEqualTo("max");

        List<String> kvm = command(Accelerator.KVM, 64);
        assertThat(after(kvm, "-accel")).isEqualTo("kvm");
        assertThat(after(kvm, "-cpu")).isEqualTo("host");
    }

    @Test
    void the_backend_follows_the_vm_size_of_a_larger_request() {
        List<String> c = command(Accelerator.TCG, 512);

        assertThat(after(c, "-m")).isEqualTo("544");
        assertThat(after(c, "-object")).isEqualTo("memory-backend-memfd,id=ram,size=544M,share=on");
    }
}
