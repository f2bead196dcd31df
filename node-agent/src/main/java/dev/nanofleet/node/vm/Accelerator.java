package dev.nanofleet.node.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How QEMU executes the guest: {@code kvm} (hardware virtualization) or {@code tcg} (QEMU's own emulation, slow but
 * available everywhere).
 *
 * <p>
 * {@code /dev/kvm} alone proves nothing: on the project's build machines it exists, {@code KVM_CREATE_VM} succeeds, yet
 * it is {@code kvm_pvm}, a shadow-paging hypervisor under which stock Debian kernels stall. So KVM is used only when
 * the CPU advertises {@code vmx} or {@code svm} in {@code /proc/cpuinfo} and {@code /dev/kvm} opens read-write.
 */
public enum Accelerator {
    KVM, TCG;

    private static final Pattern VIRT_FLAG = Pattern.compile("^flags\\s*:.*\\b(vmx|svm)\\b", Pattern.MULTILINE);

    public String qemuName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Picks the accelerator: {@code mode} is {@code auto} (probe), {@code kvm} or {@code tcg}.
     *
     * @return the choice and, in {@code reason}, why
     */
    public static Probe choose(String mode) {
        return choose(mode, Path.of("/proc/cpuinfo"), Path.of("/dev/kvm"));
    }

    static Probe choose(String mode, Path cpuinfo, Path devKvm) {
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "kvm" :
                return new Probe(KVM, "configured");
            case "tcg" :
                return new Probe(TCG, "configured");
            case "auto" :
                break;
            default :
                throw new IllegalArgumentException("accelerator must be auto, kvm or tcg, not " + mode);
        }
        boolean flag;
        try {
            flag = VIRT_FLAG.matcher(Files.readString(cpuinfo)).find();
        } catch (IOException e) {
            flag = false;
        }
        if (!flag) {
            return new Probe(TCG, "no vmx/svm flag in " + cpuinfo
                    + (Files.exists(devKvm) ? " (" + devKvm + " exists but is not hardware virtualization)" : ""));
        }
        if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
            return new Probe(TCG, devKvm + " missing or not read-write");
        }
        return new Probe(KVM, "vmx/svm flag and " + devKvm);
    }

    public record Probe(Accelerator accelerator, String reason) {
    }
}
