package dev.nanofleet.node.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.ContainerRuntime;
import dev.nanofleet.node.core.PreparedImage;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.InstanceFiles;
import dev.nanofleet.node.host.ProcessSupervisor;
import dev.nanofleet.node.host.RootfsOverlay;
import dev.nanofleet.node.net.NodeNetwork;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.InstanceNetwork;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Hardware-isolated instances: one QEMU VM per instance, booting Debian's kernel with a per-instance initramfs
 * ({@link GuestInit}) that mounts the instance's root file system (the same bundle runc would run: the image's shared
 * tree with the instance's writes on top, {@link RootfsOverlay}, mounted on the host for each run) over virtio-9p,
 * chroots into it and runs the image's process.
 *
 * <p>
 * Each instance lives in {@code <state-dir>/vms/<id>/}: {@code bundle/} (from the image store), {@code initrd.cpio},
 * {@code output.log} (the process' stdout and stderr, from a virtio-serial port), {@code status} (from another port:
 * {@code running}, then {@code exit <code>}), {@code console.log} (the guest's serial console), {@code qemu.log}
 * (QEMU's own output), {@code vm.pid} (written by QEMU) and {@code exit.json} (the agent's record of how it ended).
 * The virtio-serial port the agent sends {@code TERM} to is a Unix socket under {@code /tmp/nanofleet-vm-sockets/}.
 * The layout is {@link InstanceFiles}'.
 *
 * <p>
 * The guest is hostile: QEMU runs as a uid of the VM's own, chrooted into the empty {@code jail/}, in its own mount
 * namespace, under seccomp, with the rootfs shared in 9p's mapped-xattr model (see {@link VmConfinement}).
 *
 * <p>
 * QEMU runs in its own session ({@code setsid}), so it outlives the agent; a restarted agent finds it through
 * {@code vm.pid} and reads its exit from {@code status}. Thread-safe; operations on one instance are serialised on a
 * per-instance lock.
 */
public final class QemuRuntime implements ContainerRuntime {

    /**
     * TCG's translation cache. A boot fills it whatever its size (QEMU flushes and refills it), so it is all resident:
     * 16 MiB saves 16 MiB per VM against 32 at the same boot time; 8 MiB thrashes (boots took twice as long).
     */
    public static final int TCG_TB_SIZE_MIB = 16;
    /** The id of the guest RAM's memory backend. */
    static final String GUEST_RAM = "ram";
    /** SIGKILL, as runc reports a killed container. */
    public static final int KILLED_EXIT_CODE = 137;

    private static final Logger LOG = System.getLogger(QemuRuntime.class.getName());
    /** /proc reports CPU time in USER_HZ ticks, which Linux fixes at 100 per second for user space. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Duration KILL_WAIT = ProcessSupervisor.KILL_WAIT;

    private final String qemu;
    private final Path busybox;
    private final GuestKernel kernel;
    private final Accelerator.Probe accelerator;
    private final Duration bootTimeout;
    private final InstanceFiles files;
    private final ObjectMapper json = new ObjectMapper();
    private final ProcessSupervisor supervisor = new ProcessSupervisor("vm-exit-");
    private final Object uidClaims = new Object();
    private final NodeNetwork network;
    private final GuestTools tools;
    private volatile Path execHelper;

    /** VMs without a network. */
    public QemuRuntime(String qemu, Path busybox, GuestKernel kernel, Accelerator.Probe accelerator, Path stateDir,
            Duration bootTimeout) {
        this(qemu, busybox, kernel, accelerator, stateDir, bootTimeout, null);
    }

    /**
     * @param qemu path of {@code qemu-system-x86_64}
     * @param busybox a statically linked busybox, the guest's shell
     * @param kernel the guest kernel (see {@link GuestKernel#ensure})
     * @param accelerator kvm or tcg (see {@link Accelerator#choose})
     * @param stateDir the agent's state directory; VMs go to {@code vms/}
     * @param bootTimeout how long a VM may take from launch to its process running
     * @param network the node's instance network (each VM gets a tap on its tenant's bridge); null: none
     */
    public QemuRuntime(String qemu, Path busybox, GuestKernel kernel, Accelerator.Probe accelerator, Path stateDir,
            Duration bootTimeout, NodeNetwork network) {
        this.network = network;
        this.qemu = qemu;
        this.busybox = busybox;
        this.kernel = kernel;
        this.accelerator = accelerator;
        this.bootTimeout = bootTimeout;
        this.files = new InstanceFiles(stateDir.resolve("vms"));
        this.tools = GuestTools.ofHost();
        // a running VM keeps its rootfs (it is adopted); any other mount is a leftover of an agent that died
        files.unmountLeftovers(this::vmAlive);
    }

    /**
     * Puts the exec agent ({@code nf-exec}, see {@code dev.nanofleet.node.exec.GuestExec}) into the VMs started from
     * now on; null: none. Called once, before the first start.
     */
    public void withExecHelper(Path helper) {
        this.execHelper = helper;
    }

    /** The Unix socket of a VM's {@code exec0} port (the guest's exec agent), next to its agent socket. */
    public Path execSocket(UUID id) {
        return files.agentSocket(id).resolveSibling(id + ".exec.sock");
    }

    /** Whether the VM of {@code id} was started with the exec agent. */
    public boolean hasExecAgent(UUID id) {
        return Files.exists(instanceDir(id).resolve("exec-agent"));
    }

    public Accelerator.Probe accelerator() {
        return accelerator;
    }

    @Override
    public Isolation isolation() {
        return Isolation.HARDWARE;
    }

    @Override
    public Path bundleDir(UUID instanceId) {
        return files.bundle(instanceId);
    }

    public Path instanceDir(UUID instanceId) {
        return files.dir(instanceId);
    }

    /** Where an instance's stdout and stderr go. */
    public Path outputLog(UUID instanceId) {
        return files.outputLog(instanceId);
    }

    /** VM memory for an instance that asks for {@code memoryMiB}, booting {@code kernel}. */
    public static int vmMemoryMiB(GuestKernel kernel, int memoryMiB) {
        return Math.max(kernel.minMemoryMiB(), memoryMiB + kernel.memoryOverheadMiB());
    }

    /** vCPUs for an instance that asks for {@code cpuMillis}: rounded up, at least one. */
    public static int vcpus(int cpuMillis) {
        return Math.max(1, (cpuMillis + 999) / 1000);
    }

    @Override
    public List<RuntimeInstance> list() {
        List<RuntimeInstance> result = new ArrayList<>();
        for (UUID id : files.ids()) {
            state(id).ifPresent(result::add);
        }
        return result;
    }

    @Override
    public Optional<RuntimeInstance> state(UUID id) {
        Optional<RuntimeInstance> recorded = files.readExit(id);
        if (recorded.isPresent()) {
            return recorded;
        }
        if (!Files.exists(instanceDir(id).resolve("started"))) {
            // being prepared, or its start failed; or a VM an agent killed mid-boot left running, which nothing else
            // would stop once it is no longer assigned (start kills it only when it is assigned again): killed here
            killOrphan(id);
            return Optional.empty();
        }
        return vmAlive(id)
                ? Optional.of(RuntimeInstance.running(id, network == null ? null : network.view(id).orElse(null)))
                : Optional.of(finish(id));
    }

    @Override
    public Optional<InstanceNetwork> network(UUID instanceId) {
        return network == null ? Optional.empty() : network.view(instanceId);
    }

    @Override
    public void start(Assignment a, PreparedImage image) {
        UUID id = a.instanceId();
        synchronized (files.lock(id)) {
            Path dir = instanceDir(id);
            killOrphan(id);
            for (String stale : List.of("exit.json", "status", "vm.pid", "started", "killed", "initrd.cpio",
                    "exec-agent")) {
                InstanceFiles.deleteQuietly(dir.resolve(stale));
            }
            InstanceFiles.deleteQuietly(agentSocket(id));
            InstanceFiles.deleteQuietly(execSocket(id));
            Path helper = execHelper;
            NodeNetwork.Attachment attached = network == null
                    ? null
                    : network.attachVm(id, a.tenant(), a.ports(), a.egress());
            String status;
            long bootMs;
            long prepareBegan = System.nanoTime();
            long handMs;
            long prepareMs;
            Process process;
            try {
                String spec;
                try {
                    JsonNode config = json.readTree(image.bundle().resolve("config.json").toFile());
                    spec = attached == null
                            ? GuestInit.spec(config.path("process"), a, tools.loader())
                            : GuestInit.spec(config.path("process"), a, tools.loader(),
                                    attached.address() + "/" + attached.prefix(), attached.gateway());
                } catch (IOException e) {
                    throw new RuntimeFailure(
                            "cannot read " + image.bundle().resolve("config.json") + ": " + e.getMessage(),
                            e);
                } catch (IllegalArgumentException e) {
                    throw new RuntimeFailure(e.getMessage(), e);
                }
                Path initrd = dir.resolve("initrd.cpio");
                try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(initrd))) {
                    GuestInit.write(out, kernel, busybox, tools, spec, helper);
                    if (helper != null) {
                        Files.writeString(dir.resolve("exec-agent"), helper.toString());
                    }
                    Files.writeString(dir.resolve("status"), "");
                    Files.writeString(outputLog(id), "", java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new RuntimeFailure("cannot write the initramfs " + initrd + ": " + e.getMessage(), e);
                }
                List<String> command = new ArrayList<>();
                int uid = claimUid(id);
                long handBegan = System.nanoTime();
                try {
                    VmConfinement.prepareJail(files.jail(id));
                    if (image.shared()) {
                        RootfsOverlay.mount(image.rootfs(), image.bundle());
                    }
                    if (attached != null) {
                        resolver(id, a.tenant(), image.bundle().resolve("rootfs"));
                    }
                    VmConfinement.prepareRootfs(image.bundle().resolve("rootfs"), uid);
                } catch (IOException | RuntimeException e) {
                    throw new RuntimeFailure("cannot hand the rootfs of " + id + " to its VM: " + e.getMessage(), e);
                }
                command.addAll(VmConfinement.launcher(files.jail(id)));
                command.addAll(qemuCommand(a, image.bundle().resolve("rootfs"), dir, attached, uid));
                if (network != null) {
                    command = network.entering(command);
                }
                long began = System.nanoTime();
                handMs = (began - handBegan) / 1_000_000;
                prepareMs = (began - prepareBegan) / 1_000_000;
                process = supervisor.launch(id, command, dir.resolve("qemu.log"), Map.of());
                status = awaitRunning(id, process);
                bootMs = (System.nanoTime() - began) / 1_000_000;
                if (status == null || status.startsWith("failed")) {
                    pid(id).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    try {
                        process.waitFor(KILL_WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    supervisor.forget(id);
                    String why = status != null
                            ? status.substring("failed".length()).strip()
                            : process.isAlive() || process.exitValue() == 137 || process.exitValue() == 9
                                    ? "the VM did not start its process within " + bootTimeout.toSeconds() + " s"
                                    : "qemu exited with " + process.exitValue() + ": "
                                            + Files2.tail(dir.resolve("qemu.log"), 5);
                    throw new RuntimeFailure(why);
                }
            } catch (RuntimeException e) {
                unmountQuietly(id);
                if (network != null) {
                    network.detach(id);
                }
                throw e;
            }
            InstanceFiles.touch(dir.resolve("started"));
            LOG.log(Level.INFO,
                    "event=vm.running instance={0} accel={1} bootMs={2} guestUptimeS={3} memoryMiB={4} vcpus={5} qemuRssKiB={6} prepareMs={7} rootfsMs={8}",
                    id, accelerator.accelerator().qemuName(), bootMs, status.substring("running".length()).strip(),
                    vmMemory(a), vcpus(a),
                    pid(id).map(p -> rssKiB(p).orElse(-1)).orElse(-1L), prepareMs, handMs);
            supervisor.onExit(id, process, () -> finish(id));
        }
    }

    /**
     * The uid the VM of {@code id} runs as: {@link VmConfinement#uid}, or the next one up while another VM that has not
     * ended holds it (24 bits of hash seldom collide, but two VMs of one uid could reach each other's QEMU and rootfs).
     * Recorded in {@code vm.uid}.
     */
    private int claimUid(UUID id) {
        synchronized (uidClaims) {
            java.util.Set<Integer> taken = new java.util.HashSet<>();
            for (UUID other : files.ids()) {
                Path recorded = instanceDir(other).resolve("vm.uid");
                if (!other.equals(id) && Files.exists(recorded) && files.readExit(other).isEmpty()) {
                    try {
                        taken.add(Integer.parseInt(Files.readString(recorded).strip()));
                    } catch (IOException | NumberFormatException e) {
                        // unreadable: that VM's QEMU is not running under a uid we could hand out anyway
                    }
                }
            }
            int uid = VmConfinement.uid(id);
            while (taken.contains(uid)) {
                uid = VmConfinement.UID_BASE + ((uid - VmConfinement.UID_BASE + 1) & 0xFFFFFF);
            }
            try {
                Files.writeString(instanceDir(id).resolve("vm.uid"), Integer.toString(uid));
            } catch (IOException e) {
                throw new RuntimeFailure("cannot record the uid of the VM of " + id + ": " + e.getMessage(), e);
            }
            return uid;
        }
    }

    /** A VM left booting by an agent that died before it ran (no {@code started}): never adopted, so killed. */
    private void killOrphan(UUID id) {
        if (supervisor.child(id).isPresent() || !vmAlive(id)) {
            return;
        }
        LOG.log(Level.WARNING, "event=vm.orphan.killed instance={0}", id);
        pid(id).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        if (!supervisor.awaitEnded(id, KILL_WAIT, () -> !vmAlive(id))) {
            throw new RuntimeFailure("an earlier VM of " + id + " still runs " + KILL_WAIT.toSeconds()
                    + " s after SIGKILL");
        }
    }

    /** The tenant's private-network DNS as the guest's resolver, when the tenant has one on this node. */
    private void resolver(UUID id, String tenant, Path rootfs) throws IOException {
        java.util.Optional<String> content = network.resolvConf(tenant);
        if (content.isPresent() && !GuestResolvConf.write(rootfs, content.get())) {
            LOG.log(Level.WARNING, "event=vm.resolver.skipped instance={0} reason=\"the image''s /etc or"
                    + " /etc/resolv.conf is a link or not a file\"", id);
        }
    }

    List<String> qemuCommand(Assignment a, Path rootfs, Path dir, NodeNetwork.Attachment net, int uid) {
        int memory = vmMemory(a);
        List<String> c = new ArrayList<>(List.of(qemu, "-name", "nanofleet-" + a.instanceId(), "-M",
                "q35,memory-backend=" + GUEST_RAM, "-accel",
                accelerator.accelerator() == Accelerator.KVM ? "kvm" : "tcg,tb-size=" + TCG_TB_SIZE_MIB, "-cpu",
                accelerator.accelerator() == Accelerator.KVM
                        ? "host"
                        : "max",
                "-m", Integer.toString(memory),
                // guest RAM in a memfd rather than anonymous memory: QEMU asks for transparent huge pages on the
                // latter, so every 4 KiB the guest touched cost the host 2 MiB (6 MiB more per idle VM); shmem gets
                // none unless the host says so (shmem_enabled)
                "-object", "memory-backend-memfd,id=" + GUEST_RAM + ",size=" + memory + "M,share=on",
                "-smp", Integer.toString(vcpus(a)), "-nodefaults",
                "-no-user-config", "-nographic", "-no-reboot", "-display", "none", "-monitor", "none", "-kernel",
                kernel.vmlinuz().toString(), "-initrd", dir.resolve("initrd.cpio").toString(), "-append",
                "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init", "-serial",
                "file:" + dir.resolve("console.log"), "-pidfile", dir.resolve("vm.pid").toString(), "-virtfs",
                "local,path=" + rootfs + ",mount_tag=" + GuestInit.ROOTFS_TAG + ",security_model=mapped-xattr",
                // pages the guest frees go back to the host (its kernel reports free 2 MiB blocks, QEMU discards them):
                // what the kernel and init touched while booting and then freed no longer stays resident
                "-device", "virtio-balloon-pci,free-page-reporting=on",
                "-device", "virtio-serial-pci", "-chardev", "file,id=status,path=" + dir.resolve("status"), "-device",
                "virtserialport,chardev=status,name=status0", "-chardev", "file,id=out,path=" + outputLog(
                        a.instanceId()) + ",append=on",
                "-device", "virtserialport,chardev=out,name=output0",
                "-chardev", "socket,id=agent,path=" + agentSocket(a.instanceId()) + ",server=on,wait=off", "-device",
                "virtserialport,chardev=agent,name=agent0",
                "-chardev", "socket,id=exec,path=" + execSocket(a.instanceId()) + ",server=on,wait=off", "-device",
                "virtserialport,chardev=exec,name=exec0"));
        c.addAll(VmConfinement.qemuOptions(uid, files.jail(a.instanceId())));
        if (net != null) {
            // the tap exists already (NodeNetwork), on the tenant's bridge; romfile= skips the PXE option ROM
            c.addAll(List.of("-netdev", "tap,id=net0,ifname=" + net.device() + ",script=no,downscript=no", "-device",
                    "virtio-net-pci,netdev=net0,mac=" + net.mac() + ",romfile="));
        }
        return c;
    }

    private int vmMemory(Assignment a) {
        return vmMemoryMiB(kernel, a.resources() == null ? 0 : a.resources().memoryMiB());
    }

    private static int vcpus(Assignment a) {
        return vcpus(a.resources() == null ? 1000 : a.resources().cpuMillis());
    }

    /** The first status line once it is {@code running}, {@code exit ...} or {@code failed ...}; null otherwise. */
    private String awaitRunning(UUID id, Process process) {
        long deadline = System.nanoTime() + bootTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            String status = readStatus(id);
            if (!status.isEmpty()) {
                return status.lines().findFirst().orElse("");
            }
            if (!process.isAlive()) {
                status = readStatus(id);
                return status.isEmpty() ? null : status.lines().findFirst().orElse("");
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return null;
    }

    @Override
    public void stop(UUID id, Duration grace) {
        synchronized (files.lock(id)) {
            if (files.readExit(id).isPresent() || !Files.exists(instanceDir(id).resolve("started"))) {
                return;
            }
        }
        if (vmAlive(id)) {
            // the channel stays open until the VM ended or was killed, so the guest surely reads TERM
            SocketChannel[] channel = new SocketChannel[1];
            try {
                supervisor.stop(id, grace, new ProcessSupervisor.Signals() {
                    @Override
                    public boolean term() {
                        channel[0] = sendTerm(id);
                        return channel[0] != null;
                    }

                    @Override
                    public void kill() {
                        InstanceFiles.touch(instanceDir(id).resolve("killed"));
                        pid(id).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }, () -> !vmAlive(id));
            } finally {
                closeQuietly(channel[0]);
            }
        }
        finish(id);
    }

    private Path agentSocket(UUID id) {
        return files.agentSocket(id);
    }

    /** Sends {@code TERM} over the agent port (the guest's init passes it on as SIGTERM); null if unreachable. */
    private SocketChannel sendTerm(UUID id) {
        Path socket = agentSocket(id);
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("TERM\n".getBytes(StandardCharsets.US_ASCII)));
            return ch;
        } catch (IOException e) {
            closeQuietly(ch);
            LOG.log(Level.WARNING, "event=vm.term.failed instance={0} reason=\"{1}\"", id, e.getMessage());
            return null;
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public void remove(UUID id) {
        synchronized (files.lock(id)) {
            if (vmAlive(id)) {
                throw new RuntimeFailure("VM of " + id + " still runs; stop it first");
            }
            if (network != null) {
                network.detach(id);
            }
            files.remove(id);
            InstanceFiles.deleteQuietly(agentSocket(id)); // outside the instance directory (socket path length)
            InstanceFiles.deleteQuietly(execSocket(id));
        }
    }

    /** Records how an ended VM ended: the exit code its init reported, 137 if we killed it. Idempotent. */
    private RuntimeInstance finish(UUID id) {
        synchronized (files.lock(id)) {
            Optional<RuntimeInstance> recorded = files.readExit(id);
            if (recorded.isPresent()) {
                return recorded.get();
            }
            Path dir = instanceDir(id);
            int exitCode = -1;
            String reason = null;
            String last = readStatus(id).lines().reduce((x, y) -> y).orElse("");
            if (last.startsWith("exit ")) {
                try {
                    exitCode = Integer.parseInt(last.substring(5).strip());
                } catch (NumberFormatException e) {
                    reason = "unreadable exit report: " + last;
                }
            } else if (Files.exists(dir.resolve("killed"))) {
                exitCode = KILLED_EXIT_CODE;
            } else if (last.startsWith("failed")) {
                reason = last.substring("failed".length()).strip();
            } else {
                String console = Files2.tail(dir.resolve("console.log"), 3).strip();
                reason = "the VM ended without reporting an exit code"
                        + (console.isEmpty() ? "" : ": " + console.replace('\n', ' '));
            }
            // before the exit is recorded, so whoever sees it ended sees nothing mounted; a restart mounts it again
            unmountQuietly(id);
            RuntimeInstance ended = files.writeExit(id, exitCode, reason);
            InstanceFiles.deleteQuietly(dir.resolve("initrd.cpio"));
            LOG.log(Level.INFO, "event=vm.ended instance={0} exitCode={1} reason=\"{2}\"", id, exitCode, reason);
            return ended;
        }
    }

    /** Best effort where the run is over anyway: a mount left behind is unmounted by the next start or the remove. */
    private void unmountQuietly(UUID id) {
        try {
            RootfsOverlay.unmount(bundleDir(id));
        } catch (RuntimeFailure e) {
            LOG.log(Level.WARNING, "event=rootfs.unmount.failed instance={0} reason=\"{1}\"", id, e.getMessage());
        }
    }

    private String readStatus(UUID id) {
        try {
            return Files.readString(instanceDir(id).resolve("status"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** True while this instance's QEMU runs: our child, or (after a restart) the pid in vm.pid, if it is still QEMU. */
    boolean vmAlive(UUID id) {
        Optional<Process> child = supervisor.child(id);
        if (child.isPresent()) {
            return child.get().isAlive();
        }
        Optional<Long> pid = pid(id);
        if (pid.isEmpty()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid.get() + "/stat"));
            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                return false;
            }
            String cmdline = Files.readString(Path.of("/proc/" + pid.get() + "/cmdline"));
            if (cmdline.isEmpty()) {
                // a process that is exiting has released its memory, and with it its command line, but not its name
                return Files.readString(Path.of("/proc/" + pid.get() + "/comm")).startsWith("qemu");
            }
            return cmdline.contains("nanofleet-" + id);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** QEMU's own pid (from its pid file; {@code setsid} may have forked), else our child's. */
    private Optional<Long> pid(UUID id) {
        try {
            return Optional.of(Long.parseLong(Files.readString(instanceDir(id).resolve("vm.pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return supervisor.child(id).map(Process::pid);
        }
    }

    /** Resident memory of a process, from /proc. */
    public static OptionalLong rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return OptionalLong.empty();
    }

    /** The QEMU pid of a running instance, for measurements. */
    public Optional<Long> qemuPid(UUID id) {
        return vmAlive(id) ? pid(id) : Optional.empty();
    }

    /**
     * The VM's QEMU process as the host sees it: its CPU time (guest and emulation together) and resident memory, from
     * /proc. QEMU is the whole VM, so this is what the instance costs the node.
     */
    @Override
    public Optional<Usage> usage(UUID instanceId) {
        return qemuPid(instanceId).flatMap(pid -> {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime and stime (fields 14 and 15 of proc(5); 12 and 13 after the command) in USER_HZ ticks
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                OptionalLong rss = rssKiB(pid);
                return rss.isPresent()
                        ? Optional.of(new Usage(ticks * NANOS_PER_TICK, rss.getAsLong() * 1024))
                        : Optional.empty();
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }
}
