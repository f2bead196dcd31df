package dev.nanofleet.tenantbilling.rating;

import static dev.nanofleet.events.InstanceState.EXITED;
import static dev.nanofleet.events.InstanceState.PULLING;
import static dev.nanofleet.events.InstanceState.RESTARTING;
import static dev.nanofleet.events.InstanceState.RUNNING;
import static dev.nanofleet.events.InstanceState.STARTING;
import static dev.nanofleet.events.InstanceState.STOPPED;
import static dev.nanofleet.events.InstanceState.STOPPING;
import static dev.nanofleet.tenantbilling.rating.Facts.HALF_CORE_256;
import static dev.nanofleet.tenantbilling.rating.Facts.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MeteringTest {

    private final UUID instance = UUID.randomUUID();
    private final Facts facts = new Facts("acme");

    private List<BilledInterval> intervals() {
        return Metering.intervals(facts.events);
    }

    private BilledInterval interval(String node, long start, Long end) {
        return new BilledInterval("acme", facts.deployment, instance, node, Isolation.SHARED, HALF_CORE_256, at(start),
                end == null ? null : at(end));
    }

    @Test
    void billing_starts_when_the_node_starts_the_container_and_ends_when_it_stops() {
        facts.placed(instance, 0, "n1")
                .state(instance, 1, "n1", PULLING)
                .state(instance, 10, "n1", STARTING)
                .state(instance, 12, "n1", RUNNING)
                .state(instance, 100, "n1", STOPPING)
                .state(instance, 105, "n1", STOPPED);

        assertThat(intervals()).containsExactly(interval("n1", 10, 105L));
    }

    @Test
    void an_instance_still_running_after_the_last_fact_has_an_open_interval() {
        facts.placed(instance, 0, "n1").state(instance, 10, "n1", RUNNING);

        assertThat(intervals()).containsExactly(interval("n1", 10, null));
    }

    @Test
    void a_move_to_another_node_ends_billing_there_until_the_new_node_starts_it() {
        facts.placed(instance, 0, "n1")
                .state(instance, 10, "n1", RUNNING)
                .placed(instance, 50, "n2")
                .state(instance, 55, "n2", PULLING)
                .state(instance, 60, "n2", STARTING)
                .state(instance, 61, "n2", RUNNING)
                .state(instance, 70, "n2", EXITED);

        assertThat(intervals()).containsExactly(interval("n1", 10, 50L), interval("n2", 60, 70L));
    }

    @Test
    void a_state_reported_from_another_node_moves_the_instance_there() {
        facts.state(instance, 10, "n1", RUNNING).state(instance, 20, "n2", RUNNING).state(instance, 30, "n2", STOPPED);

        assertThat(intervals()).containsExactly(interval("n1", 10, 20L), interval("n2", 20, 30L));
    }

    @Test
    void a_lost_node_stops_billing_at_its_last_heartbeat_and_a_ready_one_resumes_it() {
        facts.placed(instance, 0, "n1")
                .state(instance, 10, "n1", RUNNING)
                .nodeLost("n1", 40, 100) // heard of at 100, last heartbeat at 40
                .nodeReady("n1", 200)
                .state(instance, 300, "n1", STOPPED);

        assertThat(intervals()).containsExactly(interval("n1", 10, 40L), interval("n1", 200, 300L));
    }

    @Test
    void a_lost_node_does_not_concern_instances_that_left_it_before() {
        facts.placed(instance, 0, "n1")
                .state(instance, 10, "n1", RUNNING)
                .placed(instance, 20, "n2")
                .state(instance, 25, "n2", RUNNING)
                .nodeLost("n1", 30, 30);

        assertThat(intervals()).containsExactly(interval("n1", 10, 20L), interval("n2", 25, null));
    }

    @Test
    void an_instance_moved_onto_a_lost_node_after_it_was_lost_is_billed_there() {
        facts.nodeLost("n1", 5, 5).placed(instance, 10, "n1").state(instance, 15, "n1", RUNNING);

        assertThat(intervals()).containsExactly(interval("n1", 15, null));
    }

    @Test
    void the_restarting_back_off_is_not_billed() {
        facts.state(instance, 10, "n1", RUNNING)
                .state(instance, 20, "n1", RESTARTING)
                .state(instance, 50, "n1", STARTING)
                .state(instance, 51, "n1", RUNNING)
                .state(instance, 60, "n1", STOPPED);

        assertThat(intervals()).containsExactly(interval("n1", 10, 20L), interval("n1", 50, 60L));
    }

    @Test
    void v1_state_events_without_isolation_and_resources_are_not_billed() {
        facts.state(instance, 10, "n1", RUNNING, null, null).state(instance, 20, "n1", STOPPED, null, null);

        assertThat(intervals()).isEmpty();
    }

    @Test
    void billing_starts_once_a_later_event_tells_the_resources() {
        facts.state(instance, 10, "n1", RUNNING, null, null).state(instance, 20, "n1", RUNNING);

        assertThat(intervals()).containsExactly(interval("n1", 20, null));
    }

    @Test
    void a_change_of_resources_splits_the_interval() {
        Resources bigger = new Resources(1000, 512);
        facts.state(instance, 10, "n1", RUNNING).state(instance, 20, "n1", RUNNING, Isolation.SHARED, bigger);

        assertThat(intervals()).containsExactly(interval("n1", 10, 20L),
                new BilledInterval("acme", facts.deployment, instance, "n1", Isolation.SHARED, bigger, at(20), null));
    }

    @Test
    void unschedulable_ends_billing() {
        facts.state(instance, 10, "n1", RUNNING).unschedulable(instance, 30);

        assertThat(intervals()).containsExactly(interval("n1", 10, 30L));
    }

    @Test
    void duplicates_and_order_do_not_change_the_intervals() {
        facts.placed(instance, 0, "n1")
                .state(instance, 10, "n1", RUNNING)
                .nodeLost("n1", 40, 100)
                .nodeReady("n1", 200)
                .state(instance, 300, "n1", STOPPED);
        List<MeterEvent> shuffled = new ArrayList<>(facts.events);
        shuffled.addAll(facts.events);
        Collections.shuffle(shuffled);

        assertThat(Metering.intervals(shuffled)).isEqualTo(intervals());
    }

    @Test
    void facts_at_the_same_instant_are_judged_together() {
        // stopped and started again in one instant: one interval whichever fact sorts first, never two touching ones
        facts.state(instance, 10, "n1", RUNNING)
                .state(instance, 20, "n1", STOPPED)
                .state(instance, 20, "n1", RUNNING)
                .state(instance, 30, "n1", STOPPED);

        assertThat(intervals()).hasSize(1);
    }

    @Test
    void no_facts_no_intervals() {
        assertThat(Metering.intervals(List.of())).isEmpty();
    }
}
