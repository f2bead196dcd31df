package dev.nanofleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.e2e.chaos.ChaosApi;
import dev.nanofleet.e2e.chaos.ChaosSuite;
import dev.nanofleet.e2e.chaos.Ledger;
import dev.nanofleet.e2e.chaos.NodeProbe;
import dev.nanofleet.e2e.chaos.Workload;
import dev.nanofleet.launcher.LocalNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's short form on the shared platform: under a light stream of bob's changes, kill -9 one node agent,
 * the scheduler and control-api once each and bring each back, then check that nothing was lost, ran twice, was left
 * behind or applied twice, and that every replica ran again within the bound. Killing Kafka and PostgreSQL, alice's
 * VMs and two schedulers stay in {@code ./fleet chaos}: they take minutes more than CI has. Leaves every component up
 * and ready and its deployments deleted, for the journeys that share the platform.
 */
class ChaosIT {

    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(120);

    @Test
    void killing_a_node_agent_the_scheduler_and_control_api_loses_runs_twice_and_leaves_behind_nothing()
            throws Exception {
        SharedPlatform shared = SharedPlatform.get();
        Map<String, String> env = shared.environment();
        ChaosApi api = new ChaosApi(shared.api, env.get("NANOFLEET_BILLING_URL"), shared.keycloak);
        String prefix = "chaos-it-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-";
        Ledger ledger = new Ledger();
        Workload workload = new Workload(api, ledger, env.get("NANOFLEET_DEMO_IMAGE"), prefix,
                List.of(new Workload.Worker("bob", "shared", 2, 2, 100, 64, Duration.ofSeconds(1))), 13);
        ChaosSuite.Target target = new ChaosSuite.Target(shared.platform, api, "ops", List.of("bob"),
                env.get("NANOFLEET_KAFKA"), "jdbc:postgresql://127.0.0.1:" + shared.ports.postgres() + "/scheduler",
                shared.nodes.stream().map(node -> new NodeProbe(node.name(), node.stateDir())).toList());
        ChaosSuite.Settings settings = new ChaosSuite.Settings(3, RECOVERY_BOUND, Duration.ofSeconds(60));

        List<ChaosSuite.Line> lines = new ArrayList<>();
        try (ChaosSuite suite = new ChaosSuite(target, settings, ledger, workload, prefix, System.out)) {
            suite.start();
            // one node's agent: the others keep running, and the scheduler must not move what the killed one runs
            LocalNode first = shared.nodes.getFirst();
            lines.add(suite.round(shared.platform, first.component(), "node-agent"));
            lines.add(suite.round("scheduler"));
            lines.add(suite.round("control-api"));
            suite.cleanUp(Duration.ofMinutes(1));
        } finally {
            shared.platform.up(); // whatever a failure left down comes back for the next journeys
        }

        assertThat(lines).allSatisfy(line -> assertThat(line.passed(RECOVERY_BOUND))
                .as(line.format() + "\n" + String.join("\n", line.findings())).isTrue());
        assertThat(ledger.creates()).as("creates answered").isPositive();
    }
}
