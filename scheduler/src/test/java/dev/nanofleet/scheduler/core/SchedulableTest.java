package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.node;
import static dev.nanofleet.scheduler.core.Fixtures.shared;
import static dev.nanofleet.scheduler.core.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulableTest {

    private final Schedulable filter = new Schedulable();

    @Test
    void a_cordoned_node_takes_nothing() {
        assertThat(filter.reject(shared("i", "a", 1, 1), status(node("n", 1000, 1024), NodeStatus.CORDONED)))
                .contains(Schedulable.CORDONED);
    }

    @Test
    void a_draining_node_takes_nothing() {
        assertThat(filter.reject(shared("i", "a", 1, 1), status(node("n", 1000, 1024), NodeStatus.DRAINING)))
                .contains(Schedulable.DRAINING);
    }

    @Test
    void a_lost_node_takes_nothing() {
        assertThat(filter.reject(shared("i", "a", 1, 1), status(node("n", 1000, 1024), NodeStatus.LOST)))
                .contains(Schedulable.LOST);
    }

    @Test
    void a_ready_node_passes() {
        assertThat(filter.reject(shared("i", "a", 1, 1), node("n", 1000, 1024))).isEmpty();
    }

    @Test
    void the_explanation_names_each_status() {
        List<NodeView> nodes = List.of(status(node("a", 1000, 1024), NodeStatus.CORDONED),
                status(node("b", 1000, 1024), NodeStatus.DRAINING), status(node("c", 1000, 1024), NodeStatus.LOST));
        assertThat(new Scheduler(SchedulerPolicy.defaults()).place(shared("i", "a", 1, 1), nodes))
                .isInstanceOfSatisfying(PlacementDecision.Unschedulable.class,
                        u -> assertThat(u.explanation()).hasToString(
                                "0/3 nodes available: 1 node cordoned, 1 node draining, 1 node lost"));
    }
}
