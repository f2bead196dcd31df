package dev.nanofleet.scheduler.bench;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.scheduler.core.NodeView;
import dev.nanofleet.scheduler.core.PlacementDecision;
import dev.nanofleet.scheduler.core.PlacementRequest;
import dev.nanofleet.scheduler.core.Scheduler;
import dev.nanofleet.scheduler.core.SchedulerPolicy;
import dev.nanofleet.scheduler.core.TieBreak;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Throughput and latency of the pure core on generated fleets, single-threaded: {@code ./fleet bench scheduler}. Not a
 * test; it never runs in {@code verify}.
 * <p>
 * Per fleet size (1,000, 10,000 and 100,000 nodes unless sizes are given as arguments): a fleet of nodes in 5 zones (16/32/64 cores, 64/128/256 GiB, 1 in 10 without KVM) and a mixed
 * workload of deployments from one tenant per 5 nodes (70 % trusted shared-kernel, 30 % untrusted hardware-isolated, 1-5
 * replicas, 100-1000 mCPU, 128-4096 MiB), 40 replicas per node, about half the fleet's CPU. Each placement runs
 * every filter and scorer over the sampled nodes and charges the chosen node in the session's view (what the service
 * writes back). A warm-up on its own fleet comes first. Then, on the smaller fleet, the same workload again scoring
 * every feasible node, to show what sampling costs in quality. A {@code memory} line splits the heap into the bench's
 * input (fleet and workload) and the rest (the session plus the bench's per-request slots); a {@code cpu} line gives
 * placements per second of the thread's CPU time, which a busy machine does not skew. The last line per fleet
 * size is {@code scheduler nodes=N placements_per_second=X p99_us=Y heap_mb=Z}, the heap measured after a full
 * collection with the fleet, the workload and the session alive (before the quality lines' snapshot of the nodes).
 */
public final class SchedulerBench {

    private static final String[] ZONES = {"zone-a", "zone-b", "zone-c", "zone-d", "zone-e"};
    /** One tenant per 5 nodes; 7 in 10 tenants are trusted and run shared-kernel. */
    private static final int NODES_PER_TENANT = 5;
    private static final int REPLICAS_PER_NODE = 40;

    private SchedulerBench() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0
                ? new int[]{1_000, 10_000, 100_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        SchedulerPolicy sampled = new SchedulerPolicy(SchedulerPolicy.DEFAULT_VM_OVERHEAD_MIB, TieBreak.SEEDED,
                SchedulerPolicy.DEFAULT_SPREAD_WEIGHT, SchedulerPolicy.DEFAULT_FEASIBLE_NODES_TO_SCORE);
        SchedulerPolicy exhaustive = new SchedulerPolicy(sampled.vmOverheadMiB(), sampled.tieBreak(),
                sampled.spreadWeight(), 0);
        System.out.printf("policy vm_overhead_mib=%d spread_weight=%d feasible_nodes_to_score=%d tie_break=%s%n",
                sampled.vmOverheadMiB(), sampled.spreadWeight(), sampled.feasibleNodesToScore(), sampled.tieBreak());

        // warm-up: the JIT compiles the hot path before anything is measured
        run(new Scheduler(sampled), fleet(2_000, 7), workload(2_000, 7));

        for (int nodes : sizes) {
            List<NodeView> fleet = fleet(nodes, 42);
            List<PlacementRequest> workload = workload(nodes, 42);
            long inputMiB = usedHeapMiB();
            if (nodes <= 2_000) {
                System.out.println(run(new Scheduler(exhaustive), fleet, workload).quality("exhaustive", nodes));
            }
            Result result = run(new Scheduler(sampled), fleet, workload);
            System.out.println(result.quality("sampled", nodes));
            System.out.printf(Locale.ROOT, "memory nodes=%d fleet_and_workload_mb=%d session_and_bench_mb=%d%n", nodes,
                    inputMiB, result.heapMiB - inputMiB);
            // on a shared machine the wall clock includes time the thread waited for a core; its CPU time does not
            System.out.printf(Locale.ROOT, "cpu nodes=%d placements_per_cpu_second=%d%n", nodes,
                    Math.round(result.latencies.length / (result.cpuNanos / 1e9)));
            System.out.printf(Locale.ROOT, "scheduler nodes=%d placements_per_second=%d p99_us=%.1f heap_mb=%d%n",
                    nodes,
                    result.perSecond(), result.p99Micros(), result.heapMiB);
        }
    }

    record Result(long elapsedNanos, long cpuNanos, int[] latencies, int placed, int unschedulable,
            Map<String, NodeView> nodes,
            double hardwareOnDistinctNodes, double hardwareOverTwoZones, long heapMiB) {

        long perSecond() {
            return Math.round(latencies.length / (elapsedNanos / 1e9));
        }

        double p99Micros() {
            int[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1_000.0;
        }

        String quality(String mode, int size) {
            long used = nodes.values().stream().filter(n -> n.used().memoryMiB() > 0).count();
            double cpu = nodes.values().stream().mapToLong(n -> n.used().cpuMillis()).sum() * 100.0
                    / nodes.values().stream().mapToLong(n -> n.allocatable().cpuMillis()).sum();
            return String.format(Locale.ROOT,
                    "quality mode=%s nodes=%d placed=%d unschedulable=%d nodes_used=%d fleet_cpu_pct=%.1f"
                            + " hardware_replicas_on_distinct_nodes_pct=%.1f hardware_deployments_over_2_zones_pct=%.1f",
                    mode, size, placed, unschedulable, used, cpu, hardwareOnDistinctNodes * 100,
                    hardwareOverTwoZones * 100);
        }
    }

    private static Result run(Scheduler scheduler, List<NodeView> fleet, List<PlacementRequest> workload) {
        Scheduler.Session session = scheduler.session(fleet);
        // int nanoseconds (a placement never takes 2 s) and one slot per request: the bench's own bookkeeping stays
        // small beside what it measures
        int[] latencies = new int[workload.size()];
        String[] placedOn = new String[workload.size()];
        int placed = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuBegin = threads.getCurrentThreadCpuTime();
        long begin = System.nanoTime();
        for (int i = 0; i < workload.size(); i++) {
            PlacementRequest request = workload.get(i);
            long t0 = System.nanoTime();
            PlacementDecision decision = session.place(request);
            latencies[i] = (int) (System.nanoTime() - t0);
            if (decision instanceof PlacementDecision.Placed p) {
                placed++;
                placedOn[i] = p.nodeName();
            }
        }
        long elapsed = System.nanoTime() - begin;
        long cpu = threads.getCurrentThreadCpuTime() - cpuBegin;
        // the session (the scheduler's state) is alive here; the snapshot of NodeViews for the quality lines is not
        long heap = usedHeapMiB();
        Map<String, NodeView> nodes = session.nodes();
        // spread quality over hardware-isolated deployments with more than one placed replica
        Map<UUID, List<String>> hardwareNodes = new HashMap<>();
        for (int i = 0; i < workload.size(); i++) {
            PlacementRequest request = workload.get(i);
            if (placedOn[i] != null && request.isolation() == Isolation.HARDWARE) {
                hardwareNodes.computeIfAbsent(request.deploymentId(), d -> new ArrayList<>()).add(placedOn[i]);
            }
        }
        int multi = 0;
        int distinct = 0;
        int zoned = 0;
        for (List<String> names : hardwareNodes.values()) {
            if (names.size() < 2) {
                continue;
            }
            multi++;
            if (new HashSet<>(names).size() == names.size()) {
                distinct++;
            }
            Set<String> zones = new HashSet<>();
            names.forEach(n -> zones.add(nodes.get(n).zone()));
            if (zones.size() >= 2) {
                zoned++;
            }
        }
        return new Result(elapsed, cpu, latencies, placed, workload.size() - placed, nodes,
                multi == 0 ? 1 : (double) distinct / multi, multi == 0 ? 1 : (double) zoned / multi, heap);
    }

    /** Heap in use after a full collection: what is reachable at the call. */
    private static long usedHeapMiB() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
    }

    static List<NodeView> fleet(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] cores = {16_000, 32_000, 64_000};
        int[] memory = {65_536, 131_072, 262_144};
        List<NodeView> nodes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int shape = random.nextInt(cores.length);
            Set<Isolation> isolations = random.nextInt(10) == 0
                    ? Set.of(Isolation.SHARED)
                    : Set.of(Isolation.SHARED, Isolation.HARDWARE);
            NodeView empty = NodeView.empty(String.format("node-%05d", i), new Resources(cores[shape], memory[shape]),
                    isolations);
            nodes.add(new NodeView(empty.name(), empty.allocatable(), empty.used(), isolations,
                    Map.of(NodeView.ZONE_LABEL, ZONES[i % ZONES.length]), empty.status(), null, Map.of()));
        }
        return nodes;
    }

    static List<PlacementRequest> workload(int nodes, long seed) {
        int replicas = nodes * REPLICAS_PER_NODE;
        int tenants = Math.max(1, nodes / NODES_PER_TENANT);
        SplittableRandom random = new SplittableRandom(seed);
        int[] cpu = {100, 250, 500, 1_000};
        int[] memory = {128, 256, 512, 1_024, 2_048, 4_096};
        // one tenant name and one object per resource shape, as a service holds them, rather than a copy per
        // deployment: at 100,000 nodes the copies were 90 MB of the measured heap
        String[] tenantNames = new String[tenants];
        Resources[][] shapes = new Resources[cpu.length][memory.length];
        List<PlacementRequest> requests = new ArrayList<>(replicas);
        while (requests.size() < replicas) {
            UUID deployment = new UUID(random.nextLong(), random.nextLong());
            int t = random.nextInt(tenants);
            if (tenantNames[t] == null) {
                tenantNames[t] = "tenant-" + t;
            }
            String tenant = tenantNames[t];
            boolean shared = t % 10 < 7;
            int c = random.nextInt(cpu.length);
            int m = random.nextInt(memory.length);
            if (shapes[c][m] == null) {
                shapes[c][m] = new Resources(cpu[c], memory[m]);
            }
            Resources resources = shapes[c][m];
            int count = 1 + random.nextInt(5);
            for (int r = 0; r < count && requests.size() < replicas; r++) {
                requests.add(new PlacementRequest(new UUID(random.nextLong(), random.nextLong()), deployment, tenant,
                        shared ? TenantTrust.TRUSTED : TenantTrust.UNTRUSTED,
                        shared ? Isolation.SHARED : Isolation.HARDWARE, resources));
            }
        }
        return requests;
    }
}
