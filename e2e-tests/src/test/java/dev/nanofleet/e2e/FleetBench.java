package dev.nanofleet.e2e;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Resources;
import dev.nanofleet.launcher.Layout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * {@code ./fleet bench fleet}: many simulated node agents ({@link SimulatedFleet}) in this JVM against the real
 * control-api, scheduler, Kafka, PostgreSQL and Keycloak of the local platform ({@link SharedPlatform}). The real
 * nodes ({@code local-1}..) are cordoned first, so only simulated nodes receive placements, and the tenants' quotas are
 * raised by an operator (bob's and alice's, through {@code PATCH /v1/tenants/{id}}). Per fleet size it
 *
 * <ol>
 * <li>adds simulated nodes until the fleet has that many (join tokens, enrollment, registration, heartbeats every 5 s,
 * the assignment watch; a larger size adds to the nodes already there), and waits until each holds its watch;</li>
 * <li>measures control-api's CPU while the fleet only heartbeats ({@code bench.idle-seconds}, no deployment being
 * created): {@code heartbeat_cpu_share} is that CPU time over the wall time (a share of one core), next to the same
 * figure measured once before any simulated node joined ({@code baseline_cpu_share});</li>
 * <li>creates deployments of 1-5 replicas as fast as {@code bench.clients} concurrent callers can (bob's shared-kernel,
 * alice's {@code auto}, which is hardware isolation for an untrusted tenant) until they hold {@code bench.replicas}
 * replicas, and waits until the simulated nodes reported every one RUNNING;</li>
 * <li>reads every deployment once and prints
 * {@code fleet nodes=N placements_per_second=X create_to_running_p99_ms=Y api_p99_ms=Z} with the control plane's CPU
 * time over the run and memory after it, then the latencies of the nodes' requests and the phases of the replicas'
 * start timelines.</li>
 * </ol>
 *
 * <p>
 * {@code placements_per_second} is the replicas RUNNING over the wall time from the first create request to the last
 * replica's {@code reportedAt} (the API's clock, the same host's); {@code create_to_running} per replica is its
 * deployment's create request to its {@code reportedAt}; {@code api_p99_ms} is the create requests' p99.
 *
 * <p>
 * Properties: {@code bench.nodes} (default {@code 1000,10000}), {@code bench.replicas} (2000 per size),
 * {@code bench.clients} (32), {@code bench.idle-seconds} (30), {@code bench.enroll-concurrency} (16),
 * {@code bench.report-states} (the agent's {@code PULLING,STARTING,RUNNING}), {@code bench.http-clients} (4),
 * {@code bench.max-in-flight} (256 node requests at once, watches aside),
 * {@code bench.deadline-seconds} (600, per size), {@code bench.node-cpu-millis} (1000) and
 * {@code bench.node-memory-mib} (2048): what each simulated node offers, so about 10 replicas fill one (the scheduler
 * packs the fullest node first, and a node reports its instances one PUT at a time, as the agent does);
 * {@code bench.jfr} (a directory: JFR recordings of control-api and the scheduler over each load phase).
 */
public final class FleetBench {

    private static final String[] PHASES = {"relay", "schedule", "deliver", "report", "total"};

    private final SharedPlatform platform;
    private final HttpClient http;
    private final SimulatedFleet fleet;
    private final DeploymentLoad load;

    private FleetBench(SharedPlatform platform, HttpClient http, SimulatedFleet fleet) {
        this.platform = platform;
        this.http = http;
        this.fleet = fleet;
        this.load = new DeploymentLoad(http, platform.api, platform.environment().get("NANOFLEET_DEMO_IMAGE"));
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.nodes", "1000,10000").split(","))
                .map(String::strip).map(Integer::valueOf).toList();
        int replicas = Integer.getInteger("bench.replicas", 2000);
        int clients = Integer.getInteger("bench.clients", 32);
        Duration idle = Duration.ofSeconds(Integer.getInteger("bench.idle-seconds", 30));
        int enrollConcurrency = Integer.getInteger("bench.enroll-concurrency", 16);
        Duration deadline = Duration.ofSeconds(Integer.getInteger("bench.deadline-seconds", 600));
        List<InstanceState> reports = Arrays.stream(System.getProperty("bench.report-states",
                "PULLING,STARTING,RUNNING").split(",")).map(String::strip).map(InstanceState::valueOf).toList();
        // small nodes: the scheduler packs the fullest node first, and a node reports its instances one at a time
        Resources node = new Resources(Integer.getInteger("bench.node-cpu-millis", 1000), Integer.getInteger(
                "bench.node-memory-mib", 2048));
        SimulatedFleet.Settings settings = SimulatedFleet.Settings.agentDefaults().withAllocatable(node)
                .withStartReports(reports).withClients(Integer.getInteger("bench.http-clients", 4), Integer
                        .getInteger("bench.max-in-flight", 256));

        SharedPlatform platform = SharedPlatform.get();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        List<String> lines = new ArrayList<>();
        try (SimulatedFleet fleet = new SimulatedFleet(platform.api, settings)) {
            FleetBench bench = new FleetBench(platform, http, fleet);
            bench.prepare();
            double baseline = bench.controlApiShare(idle);
            System.out.printf("[bench] control-api idle before any simulated node: %.3f of a core%n", baseline);
            for (int size : sizes) {
                lines.addAll(bench.run(size, replicas, clients, idle, baseline, enrollConcurrency, deadline));
                lines.forEach(l -> System.out.println("[bench] so far: " + l));
            }
        }
        lines.forEach(System.out::println);
        System.out.flush();
        // the platform's shutdown hook stops it; exec:java would otherwise wait for its threads
        System.exit(0);
    }

    /** The real nodes cordoned, bob's and alice's quotas raised. */
    private void prepare() throws Exception {
        String ops = ops();
        for (String real : platform.nodeNames()) {
            expect(send(ops, "POST", "/v1/nodes/" + real + "/cordon", null), 200, "cordon " + real);
        }
        System.out.printf("[bench] cordoned %s: only simulated nodes take placements%n", platform.nodeNames());
        String quotas = "{\"quotas\":{\"shared\":{\"cpuMillis\":10000000,\"memoryMiB\":100000000,"
                + "\"instances\":100000},\"hardware\":{\"cpuMillis\":10000000,\"memoryMiB\":100000000,"
                + "\"instances\":100000}}}";
        for (String tenant : List.of("globex", "acme")) {
            expect(send(ops, "PATCH", "/v1/tenants/" + tenant, quotas), 200, "quota of " + tenant);
        }
        System.out.println("[bench] raised the quotas of globex (bob) and acme (alice) to 100,000 instances per mode");
    }

    private List<String> run(int size, int replicas, int clients, Duration idle, double baseline,
            int enrollConcurrency, Duration deadline) throws Exception {
        int add = size - fleet.size();
        if (add > 0) {
            long began = System.nanoTime();
            fleet.join(add, "sim", this::ops, enrollConcurrency, deadline);
            System.out.printf("[bench] %d simulated nodes joined in %d ms (%d watches open)%n", fleet.size(),
                    (System.nanoTime() - began) / 1_000_000, fleet.watching());
        }
        // the enrollments' registrations and first fetches settle before the fleet's steady cost is measured
        Thread.sleep(10_000);
        double heartbeatShare = controlApiShare(idle);
        String idleLoad = load();
        System.out.printf("[bench] nodes=%d control-api while the fleet only heartbeats: %.3f of a core (load %s)%n",
                size, heartbeatShare, idleLoad);

        String ops = ops();
        List<DeploymentLoad.Tenant> tenants = List.of(
                new DeploymentLoad.Tenant("bob", platform.keycloak.passwordToken("bob", "nanofleet"), "shared"),
                new DeploymentLoad.Tenant("alice", platform.keycloak.passwordToken("alice", "nanofleet"), "auto"));
        Profiles profiles = Profiles.start(platform.layout(), System.getProperty("bench.jfr"), size);
        Usage before = usage();
        long runningBefore = fleet.runningCount();
        Instant firstCreate = Instant.now();
        long began = System.nanoTime();
        Thread progress = Thread.ofVirtual().start(() -> progress(began, runningBefore, replicas));
        List<DeploymentLoad.Created> created;
        try {
            created = load.create(tenants, replicas, clients, "fb" + size + "-"
                    + Long.toString(System.currentTimeMillis() % 1_000_000, 36), size);
            System.out.printf("[bench] %d deployments created in %d ms (create %s ms; 429s %d)%n", created.size(),
                    (System.nanoTime() - began) / 1_000_000, load.createLatency().summary(), load.rateLimited());
            long end = System.nanoTime() + deadline.toNanos();
            while (fleet.runningCount() - runningBefore < replicas) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException((fleet.runningCount() - runningBefore) + " of " + replicas
                            + " replicas RUNNING after " + deadline + "; node failures " + fleet.failures());
                }
                Thread.sleep(50);
            }
        } finally {
            progress.interrupt();
        }
        long wallNanos = System.nanoTime() - began;
        Usage after = usage();
        profiles.dump();
        String runLoad = load();
        System.out.printf("[bench] all %d replicas RUNNING after %d ms; reading the deployments back%n", replicas,
                wallNanos / 1_000_000);

        List<DeploymentLoad.Replica> all = load.replicas(created, 8);
        Set<String> simulated = fleet.names();
        long elsewhere = all.stream().filter(r -> !simulated.contains(r.node())).count();
        long notRunning = all.stream().filter(r -> !"running".equals(r.state())).count();
        Instant lastReported = all.stream().map(r -> r.timeline().get("reportedAt")).filter(t -> t != null)
                .max(Comparator.naturalOrder()).orElseThrow();
        double wallSeconds = Duration.between(firstCreate, lastReported).toNanos() / 1e9;
        List<Long> createToRunning = all.stream().filter(r -> r.timeline().get("reportedAt") != null)
                .map(r -> Duration.between(r.deployment().began(), r.timeline().get("reportedAt")).toMillis())
                .sorted().toList();
        Map<String, List<Long>> phases = phases(all);

        ProcessUsage.Sample api = after.controlApi;
        ProcessUsage.Sample scheduler = after.scheduler;
        String figures = String.format(
                "fleet nodes=%d placements_per_second=%.0f create_to_running_p99_ms=%d api_p99_ms=%d"
                        + " create_to_running_p50_ms=%d api_p50_ms=%d replicas=%d deployments=%d wall_s=%.1f"
                        + " control_api_cpu_s=%.1f control_api_rss_mib=%.0f scheduler_cpu_s=%.1f"
                        + " scheduler_rss_mib=%.0f postgres_cpu_s=%.1f heartbeat_cpu_share=%.3f"
                        + " baseline_cpu_share=%.3f load_avg_idle=\"%s\" load_avg_run=\"%s\"",
                size, all.size() / wallSeconds, StartupBench.percentile(createToRunning, 99),
                load.createLatency().percentile(99), StartupBench.percentile(createToRunning, 50),
                load.createLatency().percentile(50), all.size(), created.size(), wallSeconds,
                api.cpuSeconds() - before.controlApi.cpuSeconds(), api.rssMiB(),
                scheduler.cpuSeconds() - before.scheduler.cpuSeconds(), scheduler.rssMiB(),
                after.postgres.cpuSeconds() - before.postgres.cpuSeconds(), heartbeatShare, baseline, idleLoad,
                runLoad);
        StringBuilder phaseLine = new StringBuilder("fleet nodes=" + size + " phase_ms");
        for (String phase : PHASES) {
            List<Long> values = phases.getOrDefault(phase, List.of()).stream().sorted().toList();
            phaseLine.append(' ').append(phase).append("=p50:").append(values.isEmpty()
                    ? "-"
                    : StartupBench.percentile(values, 50)).append(",p99:")
                    .append(values.isEmpty() ? "-" : StartupBench.percentile(values, 99));
        }
        String nodeLine = "fleet nodes=" + size + " node_requests_ms " + fleet.latencies().entrySet().stream()
                .map(e -> e.getKey() + "[" + e.getValue() + "]").collect(Collectors.joining(" "))
                + " node_failures=" + fleet.failureCount() + " rate_limited=" + load.rateLimited();
        if (elsewhere > 0 || notRunning > 0) {
            throw new IllegalStateException(elsewhere + " replicas on a node that is not simulated, " + notRunning
                    + " not running; " + figures);
        }
        if (fleet.failureCount() > 0) {
            System.out.println("[bench] node request failures: " + fleet.failures());
        }
        System.out.printf("[bench] control-api rss %.0f MiB (peak %.0f), scheduler rss %.0f MiB (peak %.0f)%n",
                api.rssMiB(), api.hwmMiB(), scheduler.rssMiB(), scheduler.hwmMiB());
        return List.of(figures, phaseLine.toString(), nodeLine);
    }

    private void progress(long began, long runningBefore, int replicas) {
        try {
            while (true) {
                Thread.sleep(5_000);
                System.out.printf("[bench] %5.1f s: %d of %d replicas RUNNING, create %s%n",
                        (System.nanoTime() - began) / 1e9, fleet.runningCount() - runningBefore, replicas,
                        load.createLatency().summary());
            }
        } catch (InterruptedException e) {
            // the run is over
        }
    }

    /** The phases of each replica's start timeline, in ms (as control-api's StartPhases makes them). */
    private static Map<String, List<Long>> phases(List<DeploymentLoad.Replica> replicas) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (DeploymentLoad.Replica r : replicas) {
            Map<String, Instant> t = r.timeline();
            put(out, "relay", t.get("acceptedAt"), t.get("relayedAt"));
            put(out, "schedule", t.get("relayedAt"), t.get("placedAt"));
            put(out, "deliver", t.get("placedAt"), t.get("deliveredAt"));
            put(out, "report", t.get("deliveredAt"), t.get("reportedAt"));
            put(out, "total", t.get("acceptedAt"), t.get("reportedAt"));
        }
        return out;
    }

    private static void put(Map<String, List<Long>> phases, String phase, Instant from, Instant to) {
        if (from != null && to != null) {
            phases.computeIfAbsent(phase, k -> new ArrayList<>()).add(Duration.between(from, to).toMillis());
        }
    }

    /**
     * JFR recordings of control-api and the scheduler over a run's load phase, when {@code bench.jfr} names a
     * directory for them ({@code jcmd PID JFR.start}, then {@code JFR.dump} into {@code <dir>/<service>-<nodes>.jfr}).
     */
    private record Profiles(Map<String, Long> pids, java.nio.file.Path dir, int size) {

        static Profiles start(Layout layout, String dir, int size) throws Exception {
            if (dir == null || dir.isBlank()) {
                return new Profiles(Map.of(), null, size);
            }
            Map<String, Long> pids = new LinkedHashMap<>();
            for (String service : List.of("control-api", "scheduler")) {
                pids.put(service, Long.parseLong(Files.readString(layout.pidFile(service)).strip()));
            }
            Profiles p = new Profiles(pids, Files.createDirectories(java.nio.file.Path.of(dir)), size);
            pids.values().forEach(pid -> p.jcmd(pid, "JFR.start", "name=fleetbench", "settings=profile"));
            return p;
        }

        void dump() {
            pids.forEach((service, pid) -> {
                java.nio.file.Path file = dir.resolve(service + "-" + size + ".jfr");
                jcmd(pid, "JFR.dump", "name=fleetbench", "filename=" + file);
                jcmd(pid, "JFR.stop", "name=fleetbench");
                System.out.println("[bench] JFR recording of " + service + ": " + file);
            });
        }

        private void jcmd(long pid, String... command) {
            List<String> line = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin",
                    "jcmd").toString(), Long.toString(pid)));
            line.addAll(List.of(command));
            try {
                Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) {
                    System.out.println("[bench] " + String.join(" ", line) + " failed: " + out);
                }
            } catch (java.io.IOException e) {
                System.out.println("[bench] " + String.join(" ", line) + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Usage(ProcessUsage.Sample controlApi, ProcessUsage.Sample scheduler,
            ProcessUsage.Sample postgres) {
    }

    private Usage usage() {
        Layout layout = platform.layout();
        // the launcher's pid file names the Java wrapper; the postmaster runs detached, its PID in its data directory
        return new Usage(ProcessUsage.of(layout.pidFile("control-api")), ProcessUsage.of(layout.pidFile(
                "scheduler")), ProcessUsage.of(layout.data("postgres").resolve("pgdata/postmaster.pid")));
    }

    /** control-api's CPU time over {@code window} of wall time, as a share of one core. */
    private double controlApiShare(Duration window) throws InterruptedException {
        java.nio.file.Path pid = platform.layout().pidFile("control-api");
        double before = ProcessUsage.of(pid).cpuSeconds();
        long began = System.nanoTime();
        Thread.sleep(window.toMillis());
        double after = ProcessUsage.of(pid).cpuSeconds();
        return (after - before) / ((System.nanoTime() - began) / 1e9);
    }

    private static String load() {
        try {
            String[] f = Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private String ops() {
        return platform.keycloak.passwordToken("ops", "nanofleet");
    }

    private HttpResponse<String> send(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.api + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }
}
