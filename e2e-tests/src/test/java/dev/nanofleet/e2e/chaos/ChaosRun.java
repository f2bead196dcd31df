package dev.nanofleet.e2e.chaos;

import dev.nanofleet.launcher.FleetPorts;
import dev.nanofleet.launcher.Layout;
import dev.nanofleet.launcher.LocalNode;
import dev.nanofleet.launcher.LocalPlatform;
import dev.nanofleet.launcher.Platform;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./fleet chaos}: the whole fault suite on a platform of its own (the packaged services on free ports in a
 * temporary home, as the end-to-end tests start it). Under a steady stream of changes by bob (trusted: shared-kernel
 * containers) and alice (untrusted: {@code auto} is a VM), it kills in turn the node agent, the scheduler, control-api,
 * the Kafka broker and PostgreSQL and brings each back; then it starts a second scheduler and kills the first, which
 * stays down while the survivor works alone. One line per round, then the machine's load.
 *
 * <p>
 * Properties: {@code chaos.kills} (comma-separated components, default all five), {@code chaos.changes} (changes
 * between kills, default 10), {@code chaos.recovery-bound-s} (asserted, default 120), {@code chaos.settle-s} (default
 * 120), {@code chaos.two-schedulers} (default true), {@code chaos.hardware} (alice's VMs, default true), {@code chaos.nodes} (node agents, each in its own
 * network namespace when more than one, default 3; {@code node-agent} kills the first). Exits 1 when a line fails.
 */
public final class ChaosRun {

    private ChaosRun() {
    }

    public static void main(String[] args) throws Exception {
        List<String> kills = Arrays.stream(System.getProperty("chaos.kills",
                "node-agent,scheduler,control-api,kafka,postgres").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        Duration bound = Duration.ofSeconds(Integer.getInteger("chaos.recovery-bound-s", 120));
        ChaosSuite.Settings settings = new ChaosSuite.Settings(Integer.getInteger("chaos.changes", 10), bound,
                Duration.ofSeconds(Integer.getInteger("chaos.settle-s", 120)));
        boolean twoSchedulers = Boolean.parseBoolean(System.getProperty("chaos.two-schedulers", "true"));
        boolean hardware = Boolean.parseBoolean(System.getProperty("chaos.hardware", "true"));

        HostTools.require("runc", "skopeo", "umoci", "docker-registry", "qemu-system-x86_64");
        buildExecHelper();
        Path home = Files.createTempDirectory("nanofleet-chaos-");
        Layout layout = new Layout(FleetHome.repoRoot(), home);
        FleetPorts ports = FleetPorts.free();
        int nodeCount = Integer.getInteger("chaos.nodes", 3);
        Platform platform = LocalPlatform.create(layout, ports, System.out, nodeCount);
        List<LocalNode> nodes = LocalPlatform.nodes(layout, nodeCount);
        // the same platform and a second scheduler: up() on it starts only that one; down() stops both
        Platform doubled = platform.withAnother("scheduler", "scheduler-2", Ports.free());
        // a failed run keeps its home (every component's log) for whoever looks into it
        AtomicBoolean purge = new AtomicBoolean(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> doubled.down(purge.get()),
                "nanofleet-chaos-platform-down"));
        platform.up();

        Map<String, String> env = platform.environment();
        String issuer = env.get("NANOFLEET_OIDC_ISSUER");
        KeycloakServer keycloak = KeycloakServer.external(issuer.substring(0, issuer.indexOf("/realms/")));
        ChaosApi api = new ChaosApi(env.get("NANOFLEET_API_URL"), env.get("NANOFLEET_BILLING_URL"), keycloak);
        nodes.forEach(node -> awaitNode(api, node.name()));

        List<Workload.Worker> workers = new ArrayList<>(List.of(
                new Workload.Worker("bob", "shared", 3, 3, 100, 64, Duration.ofMillis(1500)),
                new Workload.Worker("bob", "shared", 3, 3, 100, 64, Duration.ofMillis(1500))));
        if (hardware) {
            workers.add(new Workload.Worker("alice", "auto", 2, 2, 100, 64, Duration.ofSeconds(5)));
        }
        List<String> users = workers.stream().map(Workload.Worker::user).distinct().toList();
        String prefix = "chaos-" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36) + "-";
        Ledger ledger = new Ledger();
        Workload workload = new Workload(api, ledger, env.get("NANOFLEET_DEMO_IMAGE"), prefix, workers,
                System.nanoTime());
        ChaosSuite.Target target = new ChaosSuite.Target(platform, api, "ops", users, env.get("NANOFLEET_KAFKA"),
                "jdbc:postgresql://127.0.0.1:" + ports.postgres() + "/scheduler",
                nodes.stream().map(node -> new NodeProbe(node.name(), node.stateDir())).toList());

        List<ChaosSuite.Line> lines = new ArrayList<>();
        long started = System.nanoTime();
        try (ChaosSuite suite = new ChaosSuite(target, settings, ledger, workload, prefix, System.out)) {
            suite.start();
            for (String component : kills) {
                // "node-agent" is the first node's: the others keep running beside it
                lines.add(component.equals("node-agent")
                        ? suite.round(platform, nodes.getFirst().component(), component)
                        : suite.round(component));
            }
            if (twoSchedulers) {
                doubled.up();
                lines.add(suite.survivorRound(doubled, "scheduler", "scheduler-of-two"));
            }
        }
        System.out.printf("%n[chaos] %d rounds in %d s; %d changes answered (%d creates, %d refused), %d creates"
                + " retried with their Idempotency-Key; recovery bound %d s%n", lines.size(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), ledger.operations(), ledger.creates(),
                ledger.refusals(), ledger.retried().size(), bound.toSeconds());
        lines.forEach(line -> System.out.println(line.format()));
        System.out.println("[chaos] load: " + Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.flush();
        boolean passed = lines.stream().allMatch(line -> line.passed(bound));
        purge.set(passed);
        if (!passed) {
            System.out.println("[chaos] failed: the components' logs stay in " + home.resolve("logs"));
        }
        // here rather than in the shutdown hook alone: exec:java's JVM may end before a slow hook is done
        doubled.down(purge.get());
        System.exit(passed ? 0 : 1);
    }

    private static void awaitNode(ChaosApi api, String node) {
        Await.until(Duration.ofSeconds(90), "node " + node + " registered",
                () -> api.send("ops", "GET", "/v1/nodes", null, Map.of())
                        .filter(a -> a.status() == 200 && a.body().toString().contains("\"" + node + "\""))
                        .isPresent());
    }

    /** nf-exec, which the node agent needs for exec (as ./fleet's ensure_exec_helper does; cached, ~1 s). */
    private static void buildExecHelper() throws Exception {
        Process helper = new ProcessBuilder(FleetHome.repoRoot().resolve("deploy/exec-helper/build").toString(),
                FleetHome.cache().resolve("exec-helper").toString()).inheritIO().start();
        if (helper.waitFor() != 0) {
            throw new IllegalStateException("deploy/exec-helper/build failed (gcc and libc6-dev installed?)");
        }
    }
}
