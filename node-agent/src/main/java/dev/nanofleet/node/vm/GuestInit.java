package dev.nanofleet.node.vm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanofleet.node.runtime.InstanceProcess;
import dev.nanofleet.nodeapi.Assignment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * The initramfs of one VM: busybox (static) as the shell, the kernel's virtio/9p/net modules, util-linux's
 * {@code unshare} and {@code setpriv} ({@link GuestTools}), an {@code /init} that mounts the instance's rootfs over
 * virtio-9p, configures {@code lo} and (when the instance has a network) {@code eth0}, and runs the instance in it, and
 * {@code /spec} with what to run: the {@link InstanceProcess} runc would run, with the same working dir, user, groups,
 * env and args.
 *
 * <p>
 * Protocol with the host, over three virtio-serial ports: {@code status0} (a file on the host) gets {@code running}
 * and the guest's uptime once the process was launched, then {@code exit <code>} when it ended (or {@code failed <reason>} if it could not
 * start); {@code output0} (a file on the host) gets the process' stdout and stderr; {@code agent0} (a Unix socket the
 * host connects to) carries {@code TERM} from the host, which the init passes on as SIGTERM; {@code exec0} (another
 * Unix socket) is the exec agent's, {@code nf-exec guest}, when the initramfs has it ({@code /bin/nf-exec}): it starts
 * each session's process with {@code exec_cmd}, the way {@code run_cmd} starts the instance's. After the process ends the
 * guest syncs and reboots, which ends QEMU (it runs with {@code -no-reboot}; a kernel without ACPI cannot power off).
 */
final class GuestInit {

    static final String ROOTFS_TAG = "ctrroot";
    /** Where the initramfs keeps {@link GuestTools}. */
    static final String TOOLS = "/nf";
    /** Where the process sees them, once in its rootfs. */
    static final String TOOLS_IN_ROOTFS = "/dev/.nanofleet";
    /**
     * Free page reporting's block size, 2^5 pages (128 KiB). Measured with a guest that wrote 40 MiB to tmpfs and
     * deleted it: its RAM then held 57.7 MiB on the host without reporting, 42.0 at order 9, 34.6 at 7, 25.8 at 5 and
     * 23.6 at 0 (each report costs a round trip to QEMU, so not smaller).
     */
    static final int PAGE_REPORTING_ORDER = 5;

    /**
     * Runs as PID 1. Waits for the ports, mounts, launches, relays TERM, reports the exit, reboots (QEMU exits). Under
     * TCG every process the init makes costs milliseconds of emulated fork and exec before the instance's process can
     * start, so what a shell builtin can do ({@code read}, {@code echo}, {@code case}) is done with one: the ports are
     * found in one pass over sysfs that reads their names with {@code read}, not a {@code cat} in a command
     * substitution per port per lookup (some 40 processes less).
     */
    static final String INIT = """
            #!/bin/busybox sh
            B=/bin/busybox
            $B mkdir -p /proc /sys /dev /mnt /tmp
            $B mount -t proc proc /proc
            $B mount -t sysfs sys /sys
            # free page reporting (virtio-balloon) in 128 KiB blocks, not the default 4 MiB pageblocks: it only runs
            # with 32 blocks' worth free above the watermark, which a 4 MiB block size never reaches in a small VM
            # (6.1 overrides the kernel parameter with the pageblock order when the balloon registers, so set it here)
            R=/sys/module/page_reporting/parameters/page_reporting_order
            [ -w $R ] && echo %4$s >$R
            $B mount -t devtmpfs dev /dev
            read -r mods </modules.order || :
            for m in $mods; do $B insmod /lib/modules/$m.ko || echo "nanofleet: insmod $m failed"; done
            ports() {
              for p in /sys/class/virtio-ports/vport*; do
                n=; [ -r "$p/name" ] && read -r n <"$p/name"
                case "$n" in status0) STATUS=/dev/${p##*/};; output0) OUT=/dev/${p##*/};; agent0) AGENT=/dev/${p##*/};; exec0) EXEC=/dev/${p##*/};; esac
              done
            }
            # the ports appear one by one, in the order QEMU lists them: wait for the last one this guest uses (exec0
            # with the exec agent), or a session opened as soon as the VM runs would wait for an agent never started
            ready() { [ -n "$AGENT" ] && { [ -n "$EXEC" ] || [ ! -x /bin/nf-exec ]; }; }
            i=0; ports; while ! ready && [ $i -lt 200 ]; do $B sleep 0.05; i=$((i+1)); ports; done
            fail() { echo "failed $*" >$STATUS; $B sync; $B reboot -f; }
            [ -n "$STATUS" ] || { echo "nanofleet: no status port"; $B reboot -f; }
            $B mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 %3$s /mnt || fail "cannot mount the rootfs over 9p"
            $B mkdir -p /mnt/proc /mnt/sys /mnt/dev /mnt/tmp
            $B mount -t proc proc /mnt/proc; $B mount -t sysfs sys /mnt/sys; $B mount -t devtmpfs dev /mnt/dev
            # setpriv must be reachable inside the rootfs: a read-only bind of the initramfs' tools under /dev, a tmpfs
            # of the guest's own that is never written back to the host
            err=$( { $B mkdir -p /mnt%1$s && $B mount -o bind %2$s /mnt%1$s && $B mount -o remount,bind,ro /mnt%1$s; } 2>&1) || fail "cannot mount the guest tools: $err"
            . /spec
            echo "$HOST" >/proc/sys/kernel/hostname
            $B ip link set lo up
            if [ -n "$NET_ADDR" ]; then
              i=0; while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do $B sleep 0.05; i=$((i+1)); done
              $B ip addr add "$NET_ADDR" dev eth0 && $B ip link set eth0 up && $B ip route add default via "$NET_GW" || fail "cannot configure eth0 with $NET_ADDR"
            fi
            # runc creates a missing working dir as well
            $B mkdir -p "/mnt$CWD" || fail "cannot create the working directory $CWD"
            # the exec agent (nf-exec guest): sessions started with exec_cmd from /spec, their terminals from devpts
            if [ -n "$EXEC" ] && [ -x /bin/nf-exec ]; then
              $B mkdir -p /dev/pts && $B mount -t devpts devpts /dev/pts
              /bin/nf-exec guest $EXEC </dev/null &
            fi
            run_cmd >$OUT 2>&1 </dev/null &
            child=$!
            read -r up idle </proc/uptime
            echo "running $up" >$STATUS
            # fd 3 stays open so that the host's writes are delivered whenever it connects; read gets EOF while no host is connected
            ( exec 3<$AGENT; while :; do if read -r line <&3; then [ "$line" = TERM ] && $B kill -TERM $child; else $B sleep 0.2; fi; done ) &
            wait $child
            rc=$?
            echo "exit $rc" >$STATUS
            $B sync
            $B reboot -f
            """
            .formatted(TOOLS_IN_ROOTFS, TOOLS, ROOTFS_TAG, PAGE_REPORTING_ORDER);

    private GuestInit() {
    }

    /** What to run: see {@link #spec(InstanceProcess, Assignment, String, String, String)}. */
    static String spec(JsonNode process, Assignment a, String loader) {
        return spec(process, a, loader, null, null);
    }

    /**
     * Like {@link #spec(JsonNode, Assignment, String)}, with the guest's network: {@code eth0} gets {@code address}
     * (CIDR form, e.g. {@code 10.88.3.2/24}) and a default route via {@code gateway}; both null: no network.
     *
     * @param process the {@code process} of the bundle's config.json, resolved with the assignment's overrides by
     *        {@link InstanceProcess}, exactly as runc's config is
     * @param loader the file name of the dynamic loader of {@link GuestTools}
     */
    static String spec(JsonNode process, Assignment a, String loader, String address, String gateway) {
        return spec(InstanceProcess.resolve(process, a), a, loader, address, gateway);
    }

    /**
     * The process is started as runc starts it: env replaced by the process' own, root directory and working dir set
     * ({@code unshare --root --wd}), then user, group and supplementary groups set and new privileges forbidden
     * ({@code setpriv}), then its args executed (a bare name looked up in its PATH).
     */
    static String spec(InstanceProcess p, Assignment a, String loader, String address, String gateway) {
        StringBuilder run = new StringBuilder("exec /bin/busybox env -i");
        p.envList().forEach(kv -> run.append(' ').append(quote(kv)));
        run.append(' ').append(viaLoader(TOOLS, loader, "unshare")).append(" --root=/mnt --wd=").append(quote(p.cwd()));
        run.append(' ').append(viaLoader(TOOLS_IN_ROOTFS, loader, "setpriv")).append(" --reuid=").append(p.uid())
                .append(" --regid=").append(p.gid());
        run.append(p.additionalGids().isEmpty()
                ? " --clear-groups"
                : " --groups=" + String.join(",", p.additionalGids().stream().map(String::valueOf).toList()));
        run.append(capabilityOptions(p.capabilities()));
        run.append(" --nnp --");
        StringBuilder args = new StringBuilder();
        p.args().forEach(arg -> args.append(' ').append(quote(arg)));
        // run_cmd starts the instance's process; exec_cmd, the same way, what the exec agent is asked to run
        String functions = "run_cmd() { " + run + args + "; }\nexec_cmd() { " + run + " \"$@\"; }\n";
        String net = address == null ? "" : "NET_ADDR=" + quote(address) + "\nNET_GW=" + quote(gateway) + "\n";
        return "CWD=" + quote(p.cwd()) + "\nHOST=" + quote("i-" + a.instanceId().toString().substring(0, 8)) + "\n"
                + net + functions;
    }

    /**
     * runc's capabilities: the bounding, inheritable and ambient sets as the config names them. setpriv cannot set the
     * effective and permitted sets; they follow as runc's do when the config's sets are equal, as umoci writes them:
     * root's from the bounding set, any other user's from the ambient set. No option for a config naming none.
     */
    private static String capabilityOptions(Map<String, List<String>> caps) {
        StringBuilder options = new StringBuilder();
        Map<String, String> flags = Map.of("bounding", "--bounding-set", "inheritable", "--inh-caps", "ambient",
                "--ambient-caps");
        for (String set : List.of("bounding", "inheritable", "ambient")) {
            List<String> names = caps.get(set);
            if (names != null) {
                options.append(' ').append(flags.get(set)).append("=-all");
                names.forEach(n -> options.append(",+").append(n.toLowerCase(java.util.Locale.ROOT)
                        .replaceFirst("^cap_", "")));
            }
        }
        return options.toString();
    }

    private static String viaLoader(String dir, String loader, String program) {
        return dir + "/" + loader + " --library-path " + dir + " " + dir + "/" + program;
    }

    /** Writes the initramfs (cpio newc) to {@code out}. */
    static void write(OutputStream out, GuestKernel kernel, java.nio.file.Path busybox, GuestTools tools,
            String spec) throws IOException {
        write(out, kernel, busybox, tools, spec, null);
    }

    /** Writes the initramfs (cpio newc) to {@code out}, with the exec agent {@code execHelper} when not null. */
    static void write(OutputStream out, GuestKernel kernel, java.nio.file.Path busybox, GuestTools tools,
            String spec, java.nio.file.Path execHelper) throws IOException {
        try (Cpio cpio = new Cpio(out)) {
            cpio.directory(TOOLS.substring(1));
            for (java.nio.file.Path file : tools.files()) {
                cpio.file(TOOLS.substring(1) + "/" + file.getFileName(), 0755, Files.readAllBytes(file));
            }
            cpio.directory("bin");
            cpio.file("bin/busybox", 0755, Files.readAllBytes(busybox));
            cpio.symlink("bin/sh", "busybox");
            if (execHelper != null) {
                cpio.file("bin/nf-exec", 0755, Files.readAllBytes(execHelper));
            }
            cpio.directory("lib/modules");
            for (java.nio.file.Path module : kernel.modules()) {
                cpio.file("lib/modules/" + module.getFileName(), 0644, Files.readAllBytes(module));
            }
            // what this kernel needs loaded: nothing for one with the drivers built in
            cpio.file("modules.order", 0644, String.join(" ", kernel.modules().stream()
                    .map(m -> m.getFileName().toString().replaceFirst("\\.ko$", "")).toList())
                    .getBytes(StandardCharsets.UTF_8));
            cpio.file("init", 0755, INIT.getBytes(StandardCharsets.UTF_8));
            cpio.file("spec", 0644, spec.getBytes(StandardCharsets.UTF_8));
            for (String dir : List.of("proc", "sys", "dev", "mnt", "tmp")) {
                cpio.directory(dir);
            }
        }
    }

    static byte[] bytes(GuestKernel kernel, java.nio.file.Path busybox, GuestTools tools, String spec)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, kernel, busybox, tools, spec);
        return out.toByteArray();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
