package dev.nanofleet.node.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorTest {

    @Test
    void kvm_only_with_a_virtualization_flag_and_a_usable_device(@TempDir Path dir) throws IOException {
        Path plain = Files.writeString(dir.resolve("plain"), "processor : 0\nflags : fpu sse2 hypervisor\n");
        Path vmx = Files.writeString(dir.resolve("vmx"), "processor : 0\nflags : fpu vmx sse2\n");
        Path kvm = Files.writeString(dir.resolve("kvm"), "");

        // like this machine: /dev/kvm exists (kvm_pvm) but the CPU has no vmx/svm
        Accelerator.Probe probe = Accelerator.choose("auto", plain, kvm);
        assertThat(probe.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(probe.reason()).contains("no vmx/svm flag").contains("not hardware virtualization");

        assertThat(Accelerator.choose("auto", vmx, kvm).accelerator()).isEqualTo(Accelerator.KVM);
        assertThat(Accelerator.choose("auto", vmx, dir.resolve("missing")).accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(Accelerator.choose("tcg", vmx, kvm).accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(Accelerator.choose("kvm", plain, kvm).accelerator()).isEqualTo(Accelerator.KVM);
        assertThatThrownBy(() -> Accelerator.choose("hvf", plain, kvm)).hasMessageContaining("auto, kvm or tcg");
    }

    @Test
    void vm_size_follows_the_request_with_overhead_and_floors() {
        GuestKernel debian = new GuestKernel(Path.of("vmlinuz"), List.of(Path.of("virtio.ko")), "6.1.0-56-amd64");
        GuestKernel ours = new GuestKernel(Path.of("vmlinuz"), List.of(), "6.1.192 (nanofleet)", true);
        assertThat(QemuRuntime.vmMemoryMiB(debian, 32)).isEqualTo(128);
        assertThat(QemuRuntime.vmMemoryMiB(debian, 256)).isEqualTo(256 + 64);
        assertThat(QemuRuntime.vmMemoryMiB(ours, 16)).isEqualTo(64);
        assertThat(QemuRuntime.vmMemoryMiB(ours, 64)).isEqualTo(64 + 32);
        assertThat(QemuRuntime.vcpus(0)).isEqualTo(1);
        assertThat(QemuRuntime.vcpus(500)).isEqualTo(1);
        assertThat(QemuRuntime.vcpus(1000)).isEqualTo(1);
        assertThat(QemuRuntime.vcpus(1001)).isEqualTo(2);
    }
}
