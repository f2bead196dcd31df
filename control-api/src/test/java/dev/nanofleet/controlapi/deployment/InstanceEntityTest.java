package dev.nanofleet.controlapi.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.UsageReport;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceEntityTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final InstanceNetwork NETWORK = new InstanceNetwork("10.89.0.2",
            List.of(new InstanceNetwork.PortBinding(8080, 31000)));

    private final DeploymentEntity deployment = new DeploymentEntity();

    private InstanceEntity runningOnNodeA() {
        InstanceEntity instance = InstanceEntity.pending(deployment, 0, T0);
        instance.place("node-a", Isolation.SHARED, T0);
        instance.applyReport(new InstanceStatusReport(InstanceState.RUNNING, null, null, 2, NETWORK), T0);
        instance.recordUsage("node-a", new UsageReport.Sample(instance.id(), T0.plusSeconds(5), 7_000, 64_000));
        return instance;
    }

    @Test
    void a_new_replica_waits_for_the_scheduler_on_no_node() {
        InstanceEntity instance = InstanceEntity.pending(deployment, 3, T0);

        assertThat(instance.id()).isNotNull();
        assertThat(instance.ordinal()).isEqualTo(3);
        assertThat(instance.state()).isEqualTo(InstanceState.PENDING);
        assertThat(instance.desiredState()).isEqualTo(DesiredState.RUNNING);
        assertThat(instance.nodeName()).isNull();
    }

    @Test
    void a_placed_replica_is_scheduled_on_its_node() {
        InstanceEntity instance = InstanceEntity.pending(deployment, 0, T0);

        instance.place("node-a", Isolation.HARDWARE, T0.plusSeconds(1));

        assertThat(instance.nodeName()).isEqualTo("node-a");
        assertThat(instance.isolation()).isEqualTo(Isolation.HARDWARE);
        assertThat(instance.state()).isEqualTo(InstanceState.SCHEDULED);
        assertThat(instance.updatedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void the_first_running_report_of_a_placement_completes_its_timeline_and_a_move_starts_it_over() {
        InstanceEntity instance = InstanceEntity.pending(deployment, 0, T0);
        instance.place("node-a", Isolation.SHARED, T0.plusMillis(50));
        instance.timePlacement(T0.plusMillis(10), T0.plusMillis(40));
        dev.nanofleet.nodeapi.StartTimeline nodeTimes = new dev.nanofleet.nodeapi.StartTimeline(T0.plusMillis(60),
                T0.plusMillis(70), T0.plusMillis(90));
        instance.applyReport(new InstanceStatusReport(InstanceState.RUNNING, null, null, 0, null, null, null,
                nodeTimes), T0.plusMillis(100));
        // a restart's RUNNING is not a start's: the timeline stays as it was
        instance.applyReport(new InstanceStatusReport(InstanceState.RESTARTING, "exited", 1), T0.plusSeconds(5));
        instance.applyReport(new InstanceStatusReport(InstanceState.RUNNING, null, null, 1, null, null, null,
                new dev.nanofleet.nodeapi.StartTimeline(null, null, T0.plusSeconds(6))), T0.plusSeconds(6));

        assertThat(instance.timeline()).isEqualTo(new InstanceEntity.Timeline(T0, T0.plusMillis(10),
                T0.plusMillis(40), T0.plusMillis(60), T0.plusMillis(70), T0.plusMillis(90), T0.plusMillis(100)));

        instance.move("node-b", Isolation.SHARED, T0.plusSeconds(10));
        assertThat(instance.timeline()).isEqualTo(new InstanceEntity.Timeline(T0, null, T0.plusSeconds(10), null,
                null, null, null));
    }

    @Test
    void a_moved_replica_forgets_the_old_nodes_address_ports_usage_and_restarts() {
        InstanceEntity instance = runningOnNodeA();
        assertThat(instance.network()).isEqualTo(NETWORK);
        assertThat(instance.usageSampledAt()).isNotNull();

        instance.move("node-b", Isolation.SHARED, T0.plusSeconds(60));

        assertThat(instance.nodeName()).isEqualTo("node-b");
        assertThat(instance.state()).isEqualTo(InstanceState.SCHEDULED);
        assertThat(instance.network()).isNull();
        assertThat(instance.usageSampledAt()).isNull();
        assertThat(instance.cpuNanos()).isNull();
        assertThat(instance.memoryBytes()).isNull();
        assertThat(instance.restarts()).isZero();
        assertThat(instance.reason()).isNull();
        assertThat(instance.exitCode()).isNull();
    }

    @Test
    void after_a_move_the_new_nodes_first_usage_sample_is_taken_even_if_older_than_the_old_nodes_last() {
        InstanceEntity instance = runningOnNodeA();
        instance.move("node-b", Isolation.SHARED, T0.plusSeconds(60));

        assertThat(instance.recordUsage("node-a", new UsageReport.Sample(instance.id(), T0.plusSeconds(90), 1, 1)))
                .isFalse();
        assertThat(instance.recordUsage("node-b", new UsageReport.Sample(instance.id(), T0.plusSeconds(1), 10, 20)))
                .isTrue();
        assertThat(instance.cpuNanos()).isEqualTo(10);
    }

    @Test
    void the_cpu_used_over_the_last_sample_interval_is_known_from_the_second_sample_on() {
        InstanceEntity instance = runningOnNodeA(); // one sample: 7000 ns at T0+5s
        assertThat(instance.cpuMillis()).isNull();

        instance.recordUsage("node-a", new UsageReport.Sample(instance.id(), T0.plusSeconds(15), 5_000_007_000L, 1));
        assertThat(instance.cpuMillis()).isEqualTo(500); // 5 s of CPU in 10 s: half a core

        instance.recordUsage("node-a", new UsageReport.Sample(instance.id(), T0.plusSeconds(25), 25_000_007_000L, 1));
        assertThat(instance.cpuMillis()).isEqualTo(2000); // two cores busy

        // the process started again between the samples (the count starts again): unknown, not negative
        instance.recordUsage("node-a", new UsageReport.Sample(instance.id(), T0.plusSeconds(35), 1_000, 1));
        assertThat(instance.cpuMillis()).isNull();

        instance.move("node-b", Isolation.SHARED, T0.plusSeconds(40));
        instance.recordUsage("node-b", new UsageReport.Sample(instance.id(), T0.plusSeconds(45), 9_000_000_000L, 1));
        assertThat(instance.cpuMillis()).as("the old node's sample is not the new node's").isNull();
    }

    @Test
    void cpu_millis_stay_exact_for_long_intervals_and_large_counts() {
        Instant later = T0.plusSeconds(200L * 24 * 3600);
        long busyOneCore = 200L * 24 * 3600 * 1_000_000_000L;
        assertThat(InstanceEntity.cpuMillis(T0, 0L, later, busyOneCore)).isEqualTo(1000);
        assertThat(InstanceEntity.cpuMillis(T0, 0L, T0.plusMillis(1), 1L)).isZero();
    }

    @Test
    void an_unschedulable_replica_leaves_its_node_and_forgets_what_the_node_reported() {
        InstanceEntity instance = runningOnNodeA();

        instance.markUnschedulable("insufficient cpu", T0.plusSeconds(60));

        assertThat(instance.nodeName()).isNull();
        assertThat(instance.isolation()).isNull();
        assertThat(instance.state()).isEqualTo(InstanceState.UNSCHEDULABLE);
        assertThat(instance.reason()).isEqualTo("insufficient cpu");
        assertThat(instance.network()).isNull();
        assertThat(instance.usageSampledAt()).isNull();
    }

    @Test
    void placing_a_replica_that_is_on_a_node_or_moving_it_to_the_same_node_is_refused() {
        InstanceEntity instance = runningOnNodeA();

        assertThatThrownBy(() -> instance.place("node-b", Isolation.SHARED, T0)).isInstanceOf(
                IllegalStateException.class);
        assertThatThrownBy(() -> instance.move("node-a", Isolation.SHARED, T0)).isInstanceOf(
                IllegalStateException.class);
    }

    @Test
    void an_ended_replica_keeps_its_end_and_loses_its_address() {
        InstanceEntity instance = runningOnNodeA();

        assertThat(instance.applyReport(new InstanceStatusReport(InstanceState.EXITED, null, 3, 2, null), T0))
                .isTrue();
        assertThat(instance.applyReport(new InstanceStatusReport(InstanceState.RUNNING, null, null, 2, NETWORK), T0))
                .isFalse();

        assertThat(instance.state()).isEqualTo(InstanceState.EXITED);
        assertThat(instance.exitCode()).isEqualTo(3);
        assertThat(instance.network()).isNull();
    }

    @Test
    void a_stop_request_stops_an_unplaced_replica_at_once_and_leaves_a_placed_one_to_its_node() {
        InstanceEntity unplaced = InstanceEntity.pending(deployment, 0, T0);
        InstanceEntity placed = runningOnNodeA();

        unplaced.requestStop("deployment deleted before the replica was placed", T0);
        placed.requestStop("deployment deleted before the replica was placed", T0);

        assertThat(unplaced.state()).isEqualTo(InstanceState.STOPPED);
        assertThat(unplaced.reason()).isEqualTo("deployment deleted before the replica was placed");
        assertThat(placed.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(placed.desiredState()).isEqualTo(DesiredState.STOPPED);
        assertThat(placed.stopRequested()).isTrue();
    }

    @Test
    void no_service_can_set_an_instances_fields_by_hand() {
        assertThat(Arrays.stream(InstanceEntity.class.getDeclaredFields())
                .filter(f -> !f.isSynthetic() && !f.getName().startsWith("$$")))
                .allMatch(f -> Modifier.isPrivate(f.getModifiers()), "every field is private");
        assertThat(Arrays.stream(InstanceEntity.class.getDeclaredMethods()).filter(m -> !m.isSynthetic())
                .filter(m -> Modifier.isPublic(m.getModifiers())).map(Method::getName))
                .noneMatch(name -> name.startsWith("set"));
        assertThat(Arrays.stream(InstanceEntity.class.getDeclaredFields()).map(Field::getName)).contains("nodeName");
    }
}
