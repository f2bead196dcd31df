package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.node;
import static dev.nanofleet.scheduler.core.Fixtures.ownedBy;
import static dev.nanofleet.scheduler.core.Fixtures.shared;
import static dev.nanofleet.scheduler.core.Fixtures.used;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplanationTest {

    @Test
    void an_unplaceable_replica_is_told_how_many_nodes_each_reason_rejected() {
        Scheduler scheduler = new Scheduler(SchedulerPolicy.defaults());
        List<NodeView> nodes = List.of(used(node("n1", 4000, 1024), 0, 1000), used(node("n2", 4000, 1024), 0, 1000),
                ownedBy(node("n3", 4000, 8192), "other"));

        PlacementDecision decision = scheduler.place(shared("i", "me", 100, 512), nodes);

        assertThat(decision).isInstanceOfSatisfying(PlacementDecision.Unschedulable.class,
                u -> assertThat(u.explanation())
                        .hasToString("0/3 nodes available: 2 insufficient memory, 1 kernel owned by another tenant"));
    }

    @Test
    void reasons_are_ordered_by_count_then_alphabetically() {
        Explanation explanation = new Explanation(5, Map.of("b", 1, "a", 1, "c", 3));
        assertThat(explanation).hasToString("0/5 nodes available: 3 c, 1 a, 1 b");
        assertThat(explanation.mainReason()).isEqualTo("c");
    }

    @Test
    void with_no_nodes_at_all_it_says_so() {
        PlacementDecision decision = new Scheduler(SchedulerPolicy.defaults()).place(shared("i", "a", 1, 1), List.of());
        assertThat(decision).isInstanceOfSatisfying(PlacementDecision.Unschedulable.class,
                u -> assertThat(u.explanation()).hasToString("0/0 nodes available: no nodes registered"));
    }

    @Test
    void a_node_counts_once_under_its_first_failing_filter() {
        Scheduler scheduler = new Scheduler(SchedulerPolicy.defaults());
        // cordoned and full: only "cordoned" is reported, so the counts add up to the node count
        NodeView node = Fixtures.cordoned(used(node("n", 1000, 1024), 1000, 1024));
        PlacementDecision decision = scheduler.place(shared("i", "a", 100, 100), List.of(node));
        assertThat(decision).isInstanceOfSatisfying(PlacementDecision.Unschedulable.class,
                u -> assertThat(u.explanation().rejections()).containsExactly(Map.entry(Schedulable.CORDONED, 1)));
    }
}
