package dev.nanofleet.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.e2e.chaos.ChaosModel.Billed;
import dev.nanofleet.e2e.chaos.ChaosModel.Expected;
import dev.nanofleet.e2e.chaos.ChaosModel.InstanceReport;
import dev.nanofleet.e2e.chaos.ChaosModel.InstanceReport.Kind;
import dev.nanofleet.e2e.chaos.ChaosModel.ObservedDeployment;
import dev.nanofleet.e2e.chaos.ChaosModel.ObservedInstance;
import dev.nanofleet.e2e.chaos.ChaosModel.RetriedCreate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The fault suite's rules against in-memory facts. */
class InvariantsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final UUID web = UUID.randomUUID();
    private final UUID api = UUID.randomUUID();
    private final UUID i1 = UUID.randomUUID();
    private final UUID i2 = UUID.randomUUID();

    @Test
    void nothing_is_lost_when_every_expected_deployment_lives_with_the_replicas_last_set() {
        List<ObservedDeployment> observed = List.of(deployment(web, "web", 3, false), deployment(api, "api", 1, false));

        assertThat(Invariants.lost(List.of(new Expected("bob", web, "web", 3), new Expected("bob", api, "api", 1)),
                List.of(new RetriedCreate("bob", "web", "k1", web)), observed)).isEmpty();
    }

    @Test
    void a_vanished_a_deleted_and_a_wrongly_scaled_deployment_are_each_lost() {
        UUID gone = UUID.randomUUID();
        List<ObservedDeployment> observed = List.of(deployment(web, "web", 2, false), deployment(api, "api", 1, true));

        assertThat(Invariants.lost(List.of(new Expected("bob", web, "web", 3), new Expected("bob", api, "api", 1),
                new Expected("bob", gone, "old", 1)), List.of(), observed)).containsExactly(
                        "deployment bob/web wants 2 replicas, the harness last set 3",
                        "deployment bob/api (" + api + ") is deleted",
                        "deployment bob/old (" + gone + ") is gone");
    }

    @Test
    void a_retried_create_must_exist_exactly_once_with_the_answered_id() {
        UUID other = UUID.randomUUID();
        List<ObservedDeployment> twice = List.of(deployment(web, "web", 1, false),
                new ObservedDeployment("bob", other, "web", 1, true, 100, List.of()));

        assertThat(Invariants.lost(List.of(), List.of(new RetriedCreate("bob", "web", "k1", web)), twice))
                .singleElement().asString().contains("exists 2 times");
        assertThat(Invariants.lost(List.of(), List.of(new RetriedCreate("bob", "web", "k1", other)),
                List.of(deployment(web, "web", 1, false)))).singleElement().asString().contains("exists 1 times");
        assertThat(Invariants.lost(List.of(), List.of(new RetriedCreate("bob", "web", "k1", web)), List.of()))
                .singleElement().asString().contains("exists 0 times");
    }

    @Test
    void an_instance_running_on_two_nodes_at_once_is_found_from_the_reports() {
        List<InstanceReport> reports = List.of(state(i1, "n1", "RUNNING", 0), state(i2, "n1", "RUNNING", 1),
                state(i1, "n2", "RUNNING", 2));

        assertThat(Invariants.doubleRunning(reports)).containsExactly(i1);
    }

    @Test
    void a_stop_before_the_other_start_or_a_move_is_not_double_running() {
        List<InstanceReport> stoppedFirst = List.of(state(i1, "n1", "RUNNING", 0), state(i1, "n1", "STOPPED", 1),
                state(i1, "n2", "RUNNING", 2));
        List<InstanceReport> moved = List.of(state(i1, "n1", "RUNNING", 0), placed(i1, "n2", 1),
                state(i1, "n2", "RUNNING", 2));
        List<InstanceReport> sameNodeAgain = List.of(state(i1, "n1", "RUNNING", 0), state(i1, "n1", "RUNNING", 1));

        assertThat(Invariants.doubleRunning(stoppedFirst)).isEmpty();
        assertThat(Invariants.doubleRunning(moved)).isEmpty();
        assertThat(Invariants.doubleRunning(sameNodeAgain)).isEmpty();
    }

    @Test
    void a_snapshot_of_the_nodes_with_one_id_on_two_of_them_is_double_running() {
        Map<String, Set<UUID>> fine = Map.of("n1", Set.of(i1), "n2", Set.of(i2));
        Map<String, Set<UUID>> twice = Map.of("n1", Set.of(i1, i2), "n2", Set.of(i2));

        assertThat(Invariants.runningOnTwoNodes(List.of(fine))).isEmpty();
        assertThat(Invariants.runningOnTwoNodes(List.of(fine, twice))).containsExactly(i2);
    }

    @Test
    void a_container_no_assignment_accounts_for_is_an_orphan() {
        ObservedDeployment d = new ObservedDeployment("bob", web, "web", 1, false, 100,
                List.of(new ObservedInstance(i1, "n1", "running", "running"),
                        new ObservedInstance(i2, "n1", "stopping", "stopped")));

        Map<String, Set<UUID>> accounted = Invariants.accounted(List.of(d));

        assertThat(Invariants.orphans(Map.of("n1", Set.of(i1)), accounted)).isEmpty();
        assertThat(Invariants.orphans(Map.of("n1", Set.of(i1, i2)), accounted))
                .containsExactly("instance " + i2 + " runs on n1 but is not assigned there");
        assertThat(Invariants.orphans(Map.of("n2", Set.of(i1)), accounted))
                .containsExactly("instance " + i1 + " runs on n2 but is not assigned there");
    }

    @Test
    void more_live_placements_or_instances_than_replicas_is_an_event_applied_twice() {
        ObservedDeployment twoForOne = new ObservedDeployment("bob", web, "web", 1, false, 100,
                List.of(new ObservedInstance(i1, "n1", "running", "running"),
                        new ObservedInstance(i2, "n1", "running", "running")));

        assertThat(Invariants.placedTwice(Map.of(web, 1), Map.of(web, 1), List.of())).isEmpty();
        assertThat(Invariants.placedTwice(Map.of(web, 1, api, 0), Map.of(web, 2, api, 1), List.of())).hasSize(2);
        assertThat(Invariants.placedTwice(Map.of(web, 1), Map.of(), List.of(twoForOne))).singleElement().asString()
                .contains("2 instances to run for 1 replicas");
    }

    @Test
    void billing_within_the_reported_run_time_passes_and_a_span_billed_twice_does_not() {
        List<InstanceReport> reports = List.of(state(i1, "n1", "STARTING", 0), state(i1, "n1", "RUNNING", 2),
                state(i1, "n1", "STOPPING", 60), state(i1, "n1", "STOPPED", 62), state(i2, "n1", "RUNNING", 30));
        Instant asOf = T0.plusSeconds(90);
        // i1: 62 s, i2: 60 s until asOf = 122 s at half a vCPU = 61 vCPU-s (+ slack 1 s per span and one more)
        Map<UUID, Integer> cpu = Map.of(web, 500);

        assertThat(Invariants.billedTwice(reports, cpu, List.of(new Billed(web, new BigDecimal("61.000"))), asOf))
                .isEmpty();
        assertThat(Invariants.billedTwice(reports, cpu, List.of(new Billed(web, new BigDecimal("122.000"))), asOf))
                .singleElement().asString().contains("is billed 122.000 vCPU-s, its replicas ran at most 62.500");
        assertThat(Invariants.billedTwice(reports, cpu, List.of(new Billed(api, new BigDecimal("1000"))), asOf))
                .as("not the harness's deployment").isEmpty();
    }

    @Test
    void a_replica_is_recovered_once_running_as_desired() {
        ObservedDeployment d = new ObservedDeployment("bob", web, "web", 2, false, 100,
                List.of(new ObservedInstance(i1, "n1", "running", "running"),
                        new ObservedInstance(i2, "n1", "pulling", "running")));

        assertThat(Invariants.notYetRunning(List.of(new Expected("bob", web, "web", 2)), List.of(d)))
                .containsExactly(Map.entry(web, 1));
        assertThat(Invariants.notYetRunning(List.of(new Expected("bob", web, "web", 1)), List.of(d))).isEmpty();
        assertThat(Invariants.notYetRunning(List.of(new Expected("bob", api, "api", 1)), List.of(d)))
                .containsExactly(Map.entry(api, 1));
    }

    private ObservedDeployment deployment(UUID id, String name, int replicas, boolean deleted) {
        return new ObservedDeployment("bob", id, name, replicas, deleted, 100, List.of());
    }

    private InstanceReport state(UUID instance, String node, String state, int second) {
        return new InstanceReport(instance, web, node, Kind.STATE, state, T0.plusSeconds(second));
    }

    private InstanceReport placed(UUID instance, String node, int second) {
        return new InstanceReport(instance, web, node, Kind.PLACED, null, T0.plusSeconds(second));
    }
}
