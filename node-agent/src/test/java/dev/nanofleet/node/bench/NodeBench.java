package dev.nanofleet.node.bench;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.PreparedImage;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.net.NodeNetwork;
import dev.nanofleet.node.runtime.BundleConfig;
import dev.nanofleet.node.runtime.Cgroups;
import dev.nanofleet.node.runtime.OciRuntimeDetector;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.vm.Accelerator;
import dev.nanofleet.node.vm.GuestKernel;
import dev.nanofleet.node.vm.QemuRuntime;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.PublishedPort;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Start latency and memory cost of instances on this node: {@code ./fleet bench node}. Not a test; it never runs in
 * {@code verify}. Needs root, runc, skopeo, umoci, docker-registry, busybox (static), QEMU and apt-get/dpkg-deb (the
 * guest kernel, cached in {@code .fleet/cache/guest-kernel}).
 *
 * <p>
 * A local registry gets test-support's demo image (busybox httpd); the first unpack pulls it into the image cache, the
 * others only unpack. Per mode, instances of the demo image with 64 MiB and 100 mCPU:
 * <ul>
 * <li>{@code shared}: {@code bench.count} (50) containers through {@link RuncRuntime}, one after another; per instance
 * the time of {@code start()} (returns once runc reports the container running).</li>
 * <li>{@code hardware}: {@code bench.hardware.count} (50) VMs through {@link QemuRuntime}, {@code
 * bench.hardware.concurrency} (2) at a time, no new launch after {@code bench.hardware.budget-s} (540) seconds; per VM
 * the time of {@code start()} (returns once the guest's init reports the process running).</li>
 * </ul>
 * Once all run: their memory (see {@link #sharedMemory} and {@link #hardwareMemory}) and the CPU they use while idle.
 * Then they are stopped and removed (also on failure and on Ctrl-C). {@code bench.modes} picks the modes
 * ({@code shared,hardware}). {@code bench.hardware.kernel} ({@code nanofleet}, the purpose-built guest kernel;
 * {@code linux-image-amd64} for Debian's) picks the guest kernel. {@code bench.network} (true, as the agent's default) gives every instance the node's
 * network ({@link NodeNetwork}: a veth or tap on the tenant's bridge) and one published port (the demo's 8080); false
 * measures instances without a network (an empty network namespace, no NIC). Final lines per mode: {@code node mode=M start_ms_p50=.. start_ms_p99=.. overhead_mib=..}
 * and {@code node mode=M capacity_64mib=N}.
 */
public final class NodeBench {

    private static final int MEMORY_MIB = 64;
    private static final int CPU_MILLIS = 100;
    /** The demo's httpd is PID 1 in its container and ignores SIGTERM: kill at once rather than wait a grace. */
    private static final Duration STOP_GRACE = Duration.ZERO;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(5);
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    /** Cleanups still to run, newest first; run by the mode's finally or, on Ctrl-C, by the shutdown hook. */
    private static final List<Runnable> CLEANUPS = new ArrayList<>();
    /** Keeps the quietened logger referenced (JUL holds loggers weakly). */
    private static final Logger NODE_LOG = Logger.getLogger("dev.nanofleet.node");
    /** The node network the instances get, null with {@code -Dbench.network=false}. */
    private static NodeNetwork network;

    private NodeBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("bench.count", 50);
        int hwCount = Integer.getInteger("bench.hardware.count", 50);
        int hwConcurrency = Integer.getInteger("bench.hardware.concurrency", 2);
        Duration hwBudget = Duration.ofSeconds(Long.getLong("bench.hardware.budget-s", 540));
        Set<String> modes = new HashSet<>(Arrays.asList(System.getProperty("bench.modes", "shared,hardware")
                .split(",")));
        if (!Boolean.getBoolean("bench.verbose")) {
            NODE_LOG.setLevel(Level.WARNING); // one event=runtime.started / vm.running line per instance otherwise
        }
        List<String> tools = new ArrayList<>(List.of("runc", "skopeo", "umoci", "docker-registry"));
        if (modes.contains("hardware")) {
            tools.addAll(List.of("qemu-system-x86_64", "busybox", "apt-get", "dpkg-deb"));
        }
        List<String> missing = tools.stream().filter(t -> HostTools.find(t).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("host tools missing: " + missing
                    + " (on Debian: apt-get install runc skopeo umoci docker-registry busybox-static qemu-system-x86)");
        }
        if (!HostTools.root()) {
            throw new IllegalStateException("the node bench must run as root (runc creates cgroups)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(NodeBench::cleanUp, "node-bench-cleanup"));

        System.out.printf("host cores=%d mem_total_mib=%d mem_available_mib=%d pid_max=%d load_avg=%s%n",
                HostFacts.cpuCores(), HostFacts.memTotalMiB().orElse(-1L), memAvailableMiB(), readLong(
                        "/proc/sys/kernel/pid_max"),
                loadAverage());
        Path stateDir = Files.createTempDirectory("nanofleet-node-bench");
        OciRegistry registry = OciRegistry.startEphemeral();
        onCleanup(() -> {
            registry.close();
            Files2.deleteTree(stateDir);
        });
        try {
            String image = DemoImage.pushTo(registry);
            SkopeoImageStore images = new SkopeoImageStore(stateDir, false);
            long began = System.nanoTime();
            Path warm = stateDir.resolve("warm-bundle");
            images.prepare(image, warm);
            Files2.deleteTree(warm);
            System.out.printf("image %s pulled and unpacked once in %d ms (cached from now on)%n", image, ms(began));
            if (Boolean.parseBoolean(System.getProperty("bench.network", "true"))) {
                NodeNetwork n = NodeNetwork.setUp("bench", stateDir, NodeNetwork.DEFAULT_POOL, "127.0.0.1");
                onCleanup(n::close);
                network = n;
            }

            if (modes.contains("shared")) {
                String runc = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, stateDir.resolve(
                        "probe")).binary();
                RuncRuntime runtime = new RuncRuntime(runc, stateDir, HostFacts.hardLimits(), network);
                System.out.printf(
                        "mode=shared runtime=%s count=%d concurrency=1 memory_mib=%d cpu_millis=%d network=%s%n", runc,
                        count, MEMORY_MIB, CPU_MILLIS, network != null);
                runMode("shared", runtime, images, image, count, 1, null, ids -> sharedMemory(runtime, ids));
            }
            if (modes.contains("hardware")) {
                GuestKernel kernel = GuestKernel.ensure(FleetHome.cache().resolve("guest-kernel"),
                        System.getProperty("bench.hardware.kernel", GuestKernel.PURPOSE_BUILT));
                Accelerator.Probe accel = Accelerator.choose(System.getProperty("bench.hardware.accelerator",
                        "auto"));
                QemuRuntime runtime = new QemuRuntime(HostTools.get("qemu-system-x86_64").toString(), HostTools.get(
                        "busybox"), kernel, accel, stateDir, Duration.ofSeconds(180), network);
                System.out.printf(
                        "mode=hardware accel=%s (%s) kernel=%s count=%d concurrency=%d vm_memory_mib=%d vcpus=%d network=%s%n",
                        accel.accelerator().qemuName(), accel.reason(), kernel.release(), hwCount, hwConcurrency,
                        QemuRuntime.vmMemoryMiB(kernel, MEMORY_MIB), QemuRuntime.vcpus(CPU_MILLIS), network != null);
                runMode("hardware", runtime, images, image, hwCount, hwConcurrency, hwBudget,
                        ids -> hardwareMemory(runtime, ids));
            }
        } finally {
            cleanUp();
        }
    }

    /**
     * What one mode measured of its running instances; {@code figures} (RSS and PSS per instance, e.g.
     * {@code qemu_rss_mib=.. qemu_pss_mib=..}) go on the mode's final line.
     */
    private record Memory(double overheadMiB, long tasksPerInstance, List<Long> pids, String figures) {
    }

    private interface MemoryProbe {
        Memory measure(List<UUID> ids) throws IOException;
    }

    private static void runMode(String mode, ContainerRuntime runtime, SkopeoImageStore images, String image, int n,
            int concurrency, Duration budget, MemoryProbe probe) throws Exception {
        List<UUID> ids = new ArrayList<>();
        Set<UUID> skipped = ConcurrentHashMap.newKeySet();
        Map<UUID, Long> prepareMs = new ConcurrentHashMap<>();
        Map<UUID, Long> startMs = new ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID());
        }
        int total = n;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Runnable cleanup = () -> {
            pool.shutdownNow();
            try {
                pool.awaitTermination(3, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            removeAll(runtime);
        };
        onCleanup(cleanup);
        try {
            long memBefore = memAvailableMiB();
            long began = System.nanoTime();
            List<Future<?>> starts = new ArrayList<>();
            for (UUID id : ids) {
                starts.add(pool.submit(() -> {
                    if (budget != null && System.nanoTime() - began > budget.toNanos()) {
                        skipped.add(id); // past the time budget: no more launches, measure what runs
                        return null;
                    }
                    Assignment a = new Assignment(id, UUID.randomUUID(), "bench", image,
                            "hardware".equals(mode) ? Isolation.HARDWARE : Isolation.SHARED, new Resources(CPU_MILLIS,
                                    MEMORY_MIB),
                            List.of(), Map.of(), DesiredState.RUNNING, RestartPolicy.NEVER, network == null
                                    ? List.of()
                                    : List.of(new PublishedPort(DemoImage.PORT)));
                    long t0 = System.nanoTime();
                    PreparedImage prepared = images.prepare(image, runtime.bundleDir(id));
                    prepareMs.put(id, ms(t0));
                    long t1 = System.nanoTime();
                    runtime.start(a, prepared);
                    startMs.put(id, ms(t1));
                    RuntimeInstance state = runtime.state(id).orElseThrow();
                    if (state.status() != ContainerRuntime.Status.RUNNING) {
                        throw new IllegalStateException(id + " is " + state + " right after its start");
                    }
                    int done = startMs.size();
                    if (done % 10 == 0 || done == total) {
                        System.out.printf("  %s: %d/%d running after %d s (load %s)%n", mode, done, total, ms(began)
                                / 1000, loadAverage());
                    }
                    return null;
                }));
            }
            for (Future<?> f : starts) {
                f.get();
            }
            long wallMs = ms(began);
            if (!skipped.isEmpty()) {
                System.out.printf("mode=%s time budget of %d s reached: %d of %d started, the rest skipped%n", mode,
                        budget.toSeconds(), n - skipped.size(), n);
                ids.removeAll(skipped);
                n = ids.size();
            }
            Thread.sleep(2000); // let the last ones settle before measuring
            Memory memory = probe.measure(ids);
            long memAfter = memAvailableMiB();
            double idleCpu = idleCpuPercent(memory.pids());

            List<Long> starts2 = ids.stream().map(startMs::get).sorted().toList();
            List<Long> prepares = ids.stream().map(prepareMs::get).sorted().toList();
            System.out.printf(
                    "mode=%s started=%d wall_s=%.1f start_ms_min=%d start_ms_max=%d unpack_ms_p50=%d (umoci unpack per"
                            + " instance, before start(), not in start_ms)%n",
                    mode, n, wallMs / 1000.0, starts2.getFirst(), starts2.getLast(), percentile(prepares, 50));
            System.out.printf("mode=%s mem_available_drop_mib_per_instance=%.1f (MemAvailable %d -> %d MiB; noisy:"
                    + " the machine is shared)%n", mode, (memBefore - memAfter) / (double) n, memBefore, memAfter);
            System.out.printf("mode=%s idle_cpu_percent_of_one_core_per_instance=%.2f (over %d s, all %d running)%n",
                    mode, idleCpu / n, IDLE_WINDOW.toSeconds(), n);

            long available = memBefore; // what the node had before this mode's instances took their share
            long byMemory = (long) Math.floor(available / (MEMORY_MIB + memory.overheadMiB()));
            long capacity = byMemory;
            String binding = "memory";
            StringBuilder limits = new StringBuilder("by_memory=" + byMemory);
            double idlePerInstance = idleCpu / n;
            if (idlePerInstance > 0.05) {
                // not counted in capacity_64mib: idle instances that keep the CPU busy starve each other, not OOM
                limits.append(String.format(Locale.ROOT, " idle_cpu_saturates_%d_cores_at=%d", HostFacts.cpuCores(),
                        Math.round(HostFacts.cpuCores() * 100 / idlePerInstance)));
            }
            if ("shared".equals(mode) && memory.tasksPerInstance() > 0) {
                long pidMax = readLong("/proc/sys/kernel/pid_max");
                long threadsMax = readLong("/proc/sys/kernel/threads-max");
                long tasksNow = countTasks();
                long byPids = (Math.min(pidMax, threadsMax) - tasksNow) / memory.tasksPerInstance();
                limits.append(" by_pid_max=").append(byPids).append(" (pid_max=").append(pidMax).append(
                        " threads_max=").append(threadsMax).append(" tasks_now=").append(tasksNow).append(
                                " tasks_per_instance=")
                        .append(memory.tasksPerInstance()).append(')');
                if (byPids < capacity) {
                    capacity = byPids;
                    binding = "pid_max";
                }
                Optional<Long> parentPids = cgroupPidsMax();
                if (parentPids.isPresent()) {
                    long byCgroup = parentPids.get() / memory.tasksPerInstance();
                    limits.append(" by_cgroup_pids=").append(byCgroup);
                    if (byCgroup < capacity) {
                        capacity = byCgroup;
                        binding = "cgroup_pids";
                    }
                } else {
                    limits.append(" cgroup_pids=max");
                }
            }
            System.out.printf("mode=%s capacity mem_available_mib=%d per_instance_mib=%.1f %s binding=%s%n", mode,
                    available, MEMORY_MIB + memory.overheadMiB(), limits, binding);
            System.out.printf(Locale.ROOT, "node mode=%s start_ms_p50=%d start_ms_p99=%d overhead_mib=%.1f %s%n",
                    mode, percentile(starts2, 50), percentile(starts2, 99), memory.overheadMiB(), memory.figures());
            System.out.printf("node mode=%s capacity_64mib=%d%n", mode, capacity);
        } finally {
            long began = System.nanoTime();
            cleanup.run();
            CLEANUPS.remove(cleanup);
            System.out.printf("mode=%s stopped and removed all in %d ms%n", mode, ms(began));
        }
    }

    /**
     * Per container: its cgroup's memory usage (what counts against its 64 MiB limit) and the proportional set size of
     * the host processes that run it outside that cgroup ({@code setsid}/{@code sh} wrapper and the foreground
     * {@code runc run}). The overhead over the request is the latter: the container's own usage is bounded by the
     * request.
     */
    private static Memory sharedMemory(RuncRuntime runtime, List<UUID> ids) throws IOException {
        long cgroupBytes = 0;
        long outsidePssKiB = 0;
        long outsideRssKiB = 0;
        long insidePssKiB = 0;
        long tasks = 0;
        List<Long> pids = new ArrayList<>();
        for (UUID id : ids) {
            String cgroup = BundleConfig.cgroupPath(id);
            Path memDir = Cgroups.memoryIsV1()
                    ? Path.of("/sys/fs/cgroup/memory", cgroup)
                    : Path.of("/sys/fs/cgroup", cgroup);
            cgroupBytes += Long.parseLong(Files.readString(memDir.resolve(Cgroups.memoryIsV1()
                    ? "memory.usage_in_bytes"
                    : "memory.current")).strip());
            Set<Long> inside = new HashSet<>();
            for (String line : Files.readAllLines(memDir.resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    inside.add(Long.parseLong(line.strip()));
                }
            }
            long wrapper = Long.parseLong(Files.readString(runtime.instanceDir(id).resolve("wrapper.pid")).strip());
            List<Long> tree = new ArrayList<>();
            tree.add(wrapper);
            ProcessHandle.of(wrapper).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
            for (long pid : tree) {
                pids.add(pid);
                tasks += status(pid, "Threads:");
                if (inside.contains(pid)) {
                    insidePssKiB += pss(pid);
                } else {
                    outsidePssKiB += pss(pid);
                    outsideRssKiB += status(pid, "VmRSS:");
                }
            }
        }
        int n = ids.size();
        double outsideMiB = outsidePssKiB / 1024.0 / n;
        System.out.printf(Locale.ROOT,
                "mode=shared per_instance cgroup_usage_mib=%.2f container_pss_mib=%.2f host_side_pss_mib=%.2f"
                        + " host_side_rss_mib=%.2f tasks=%.1f (host side = setsid/sh wrapper + runc run, outside the"
                        + " cgroup; PSS shares runc's pages among the %d)%n",
                cgroupBytes / 1048576.0 / n, insidePssKiB / 1024.0 / n, outsideMiB, outsideRssKiB / 1024.0 / n,
                tasks / (double) n, n);
        return new Memory(outsideMiB, (long) Math.ceil(tasks / (double) n), pids,
                String.format(Locale.ROOT, "host_side_rss_mib=%.1f host_side_pss_mib=%.1f",
                        outsideRssKiB / 1024.0 / n, outsideMiB));
    }

    /**
     * Per VM: QEMU's RSS and PSS (guest RAM it touched, TCG translation cache, QEMU itself). The overhead over the
     * request is PSS minus the 64 MiB request.
     */
    private static Memory hardwareMemory(QemuRuntime runtime, List<UUID> ids) throws IOException {
        long rssKiB = 0;
        long pssKiB = 0;
        long tasks = 0;
        List<Long> uptimes = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        for (UUID id : ids) {
            long pid = runtime.qemuPid(id).orElseThrow(() -> new IllegalStateException(id + ": no QEMU running"));
            pids.add(pid);
            rssKiB += status(pid, "VmRSS:");
            pssKiB += pss(pid);
            tasks += status(pid, "Threads:");
            String status = Files.readString(runtime.instanceDir(id).resolve("status")).lines().findFirst().orElse(
                    "");
            if (status.startsWith("running ")) {
                uptimes.add(Math.round(Double.parseDouble(status.substring("running ".length()).strip()) * 1000));
            }
        }
        int n = ids.size();
        double pssMiB = pssKiB / 1024.0 / n;
        List<Long> sorted = uptimes.stream().sorted().toList();
        System.out.printf(Locale.ROOT,
                "mode=hardware per_vm qemu_rss_mib=%.1f qemu_pss_mib=%.1f threads=%.1f guest_uptime_at_running_ms"
                        + " p50=%d max=%d (time from the guest kernel's first clock tick to the process launched)%n",
                rssKiB / 1024.0 / n, pssMiB, tasks / (double) n, sorted.isEmpty() ? -1 : percentile(sorted, 50),
                sorted.isEmpty() ? -1 : sorted.getLast());
        return new Memory(pssMiB - MEMORY_MIB, (long) Math.ceil(tasks / (double) n), pids,
                String.format(Locale.ROOT, "qemu_rss_mib=%.1f qemu_pss_mib=%.1f", rssKiB / 1024.0 / n, pssMiB));
    }

    /** CPU used by the processes over {@link #IDLE_WINDOW}, in percent of one core, summed. */
    private static double idleCpuPercent(List<Long> pids) throws InterruptedException {
        long before = pids.stream().mapToLong(NodeBench::cpuTicks).sum();
        long began = System.nanoTime();
        Thread.sleep(IDLE_WINDOW.toMillis());
        long after = pids.stream().mapToLong(NodeBench::cpuTicks).sum();
        double seconds = (System.nanoTime() - began) / 1e9;
        return (after - before) / (double) CLOCK_TICKS / seconds * 100;
    }

    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void removeAll(ContainerRuntime runtime) {
        List<RuntimeInstance> all = runtime.list();
        for (RuntimeInstance i : all) {
            try {
                runtime.stop(i.id(), STOP_GRACE);
            } catch (RuntimeException e) {
                System.err.println("[bench] could not stop " + i.id() + ": " + e.getMessage());
            }
        }
        try {
            Thread.sleep(1000); // the runtime records each exit asynchronously; removing first races with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (RuntimeInstance i : runtime.list()) {
            try {
                runtime.stop(i.id(), STOP_GRACE);
                runtime.remove(i.id());
            } catch (RuntimeException e) {
                System.err.println("[bench] could not remove " + i.id() + ": " + e.getMessage());
            }
        }
    }

    private static synchronized void onCleanup(Runnable r) {
        CLEANUPS.addFirst(r);
    }

    private static void cleanUp() {
        List<Runnable> todo;
        synchronized (NodeBench.class) {
            todo = new ArrayList<>(CLEANUPS);
            CLEANUPS.clear();
        }
        for (Runnable r : todo) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.err.println("[bench] cleanup failed: " + e);
            }
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static long pss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return 0;
    }

    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return 0;
    }

    private static long memAvailableMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return -1;
    }

    private static long readLong(String file) {
        try {
            // not Files.readString: on /proc/sys it returned only the first byte here (JDK 25)
            return Long.parseLong(Files.readAllLines(Path.of(file)).getFirst().strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + "," + f[1];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Threads on the host now (each takes a pid). */
    private static long countTasks() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).mapToLong(
                    p -> status(Long.parseLong(p.getFileName().toString()), "Threads:")).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** pids.max of the parent cgroup the instances run under (v1 pids controller or v2), if it is not "max". */
    private static Optional<Long> cgroupPidsMax() {
        String parent = BundleConfig.cgroupPath(UUID.randomUUID());
        parent = parent.substring(0, parent.lastIndexOf('/'));
        for (Path p : List.of(Path.of("/sys/fs/cgroup/pids", parent, "pids.max"), Path.of("/sys/fs/cgroup", parent,
                "pids.max"))) {
            try {
                String v = Files.readString(p).strip();
                return "max".equals(v) ? Optional.empty() : Optional.of(Long.parseLong(v));
            } catch (IOException | NumberFormatException e) {
                // try the next
            }
        }
        return Optional.empty();
    }
}
