package dev.nanofleet.node.vm;

import dev.nanofleet.node.net.NodeNetwork;
import dev.nanofleet.node.runtime.OciRuntimeDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether this node runs hardware-isolated instances, and builds the runtime if so: QEMU and a static
 * busybox must be there and the guest kernel must be fetchable. The accelerator (kvm or tcg) is probed, not assumed.
 */
public final class HardwareSetup {

    private HardwareSetup() {
    }

    /** What was decided: the runtime when hardware isolation is available, else why not. */
    public record Outcome(Optional<QemuRuntime> runtime, String reason) {
    }

    /**
     * @param enabled {@code nanofleet.node.hardware.enabled}
     * @param qemu the QEMU binary (name on PATH or path)
     * @param busybox a statically linked busybox
     * @param accelerator {@code auto}, {@code kvm} or {@code tcg}
     * @param kernelPackage Debian's kernel package, e.g. {@code linux-image-amd64}
     * @param kernelCache where the guest kernel is cached
     * @param stateDir the agent's state directory
     * @param bootTimeout launch to process running
     */
    public static Outcome setUp(boolean enabled, String qemu, String busybox, String accelerator,
            String kernelPackage, Path kernelCache, Path stateDir, Duration bootTimeout) {
        return setUp(enabled, qemu, busybox, accelerator, kernelPackage, kernelCache, stateDir, bootTimeout, null);
    }

    /** Like the other, with the node's instance network (null: VMs without a network). */
    public static Outcome setUp(boolean enabled, String qemu, String busybox, String accelerator,
            String kernelPackage, Path kernelCache, Path stateDir, Duration bootTimeout, NodeNetwork network) {
        if (!enabled) {
            return new Outcome(Optional.empty(), "disabled by nanofleet.node.hardware.enabled=false");
        }
        Optional<Path> qemuPath = OciRuntimeDetector.resolve(qemu);
        if (qemuPath.isEmpty()) {
            return new Outcome(Optional.empty(), qemu + " not found (Debian package qemu-system-x86)");
        }
        Optional<Path> busyboxPath = OciRuntimeDetector.resolve(busybox);
        if (busyboxPath.isEmpty() || !isStatic(busyboxPath.get())) {
            return new Outcome(Optional.empty(),
                    busybox + " missing or not statically linked (Debian package busybox-static)");
        }
        Accelerator.Probe accel;
        try {
            accel = Accelerator.choose(accelerator);
        } catch (IllegalArgumentException e) {
            return new Outcome(Optional.empty(), "nanofleet.node.hardware.accelerator: " + e.getMessage());
        }
        GuestKernel kernel;
        try {
            kernel = GuestKernel.ensure(kernelCache, kernelPackage);
        } catch (RuntimeException e) {
            return new Outcome(Optional.empty(), "no guest kernel: " + e.getMessage());
        }
        QemuRuntime runtime;
        try {
            runtime = new QemuRuntime(qemuPath.get().toString(), busyboxPath.get(), kernel, accel, stateDir,
                    bootTimeout, network);
        } catch (IllegalStateException e) {
            return new Outcome(Optional.empty(), "no guest tools: " + e.getMessage()); // util-linux missing
        }
        return new Outcome(Optional.of(runtime), "qemu " + qemuPath.get() + ", kernel " + kernel.release() + ", "
                + accel.accelerator().qemuName() + " (" + accel.reason() + ")");
    }

    /** An ELF without a program interpreter (no {@code ld-linux} named in its first pages). */
    static boolean isStatic(Path binary) {
        try (InputStream in = Files.newInputStream(binary)) {
            byte[] head = in.readNBytes(8192);
            String s = new String(head, StandardCharsets.ISO_8859_1);
            return s.startsWith("\u007fELF") && !s.contains("/lib64/ld-linux") && !s.contains("/lib/ld-linux");
        } catch (IOException e) {
            return false;
        }
    }
}
