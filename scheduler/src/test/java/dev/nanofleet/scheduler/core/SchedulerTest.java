package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.hardware;
import static dev.nanofleet.scheduler.core.Fixtures.node;
import static dev.nanofleet.scheduler.core.Fixtures.shared;
import static dev.nanofleet.scheduler.core.Fixtures.used;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Resources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    private final Scheduler scheduler = new Scheduler(SchedulerPolicy.defaults());

    @Test
    void a_shared_kernel_replica_goes_to_the_fullest_node_that_fits() {
        List<NodeView> nodes = List.of(used(node("empty", 4000, 4096), 0, 0),
                used(node("busy", 4000, 4096), 2000, 3000),
                used(node("full", 4000, 4096), 4000, 4096));
        assertThat(scheduler.place(shared("i", "a", 500, 512), nodes)).isInstanceOfSatisfying(
                PlacementDecision.Placed.class, p -> assertThat(p.nodeName()).isEqualTo("busy"));
    }

    @Test
    void hardware_isolated_replicas_of_one_deployment_spread_over_nodes() {
        List<PlacementRequest> replicas = List.of(hardware("r0", "a", 100, 128), hardware("r1", "a", 100, 128),
                hardware("r2", "a", 100, 128));
        Plan plan = scheduler.placeAll(replicas, List.of(node("n1", 4000, 4096), node("n2", 4000, 4096),
                node("n3", 4000, 4096)));
        assertThat(plan.placed()).extracting(PlacementDecision.Placed::nodeName)
                .containsExactlyInAnyOrder("n1", "n2", "n3");
    }

    @Test
    void shared_kernel_replicas_of_one_deployment_pack_together() {
        List<PlacementRequest> replicas = List.of(shared("r0", "a", 100, 128), shared("r1", "a", 100, 128));
        Plan plan = scheduler.placeAll(replicas, List.of(node("n1", 4000, 4096), node("n2", 4000, 4096)));
        assertThat(plan.placed()).extracting(PlacementDecision.Placed::nodeName).containsExactly("n1", "n1");
    }

    @Test
    void placing_several_replicas_updates_the_view_so_no_node_is_overbooked() {
        List<PlacementRequest> replicas = IntStream.range(0, 5).mapToObj(i -> shared("r" + i, "a", 100, 400)).toList();
        Plan plan = scheduler.placeAll(replicas, List.of(node("n1", 4000, 1000), node("n2", 4000, 1000)));

        assertThat(plan.placed()).hasSize(4);
        assertThat(plan.unschedulable()).singleElement()
                .satisfies(u -> assertThat(u.explanation())
                        .hasToString("0/2 nodes available: 2 insufficient memory"));
        assertThat(plan.nodes().get("n1").used()).isEqualTo(new Resources(200, 800));
        assertThat(plan.nodes().get("n1").replicasOf(Fixtures.DEPLOYMENT)).isEqualTo(2);
    }

    @Test
    void the_same_input_in_any_order_gives_the_same_plan() {
        List<NodeView> nodes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            nodes.add(node("node-" + i, 4000, 8192));
        }
        List<PlacementRequest> replicas = IntStream.range(0, 20)
                .mapToObj(i -> i % 2 == 0
                        ? hardware("r" + i, "t" + (i % 3), 250, 300)
                        : shared("r" + i, "t" + (i % 3), 250, 300))
                .toList();
        for (TieBreak tieBreak : TieBreak.values()) {
            Scheduler seeded = new Scheduler(new SchedulerPolicy(64, tieBreak));
            Plan first = seeded.placeAll(replicas, nodes);
            Random shuffle = new Random(42);
            for (int round = 0; round < 5; round++) {
                List<NodeView> shuffled = new ArrayList<>(nodes);
                Collections.shuffle(shuffled, shuffle);
                assertThat(seeded.placeAll(replicas, shuffled).decisions()).isEqualTo(first.decisions());
            }
        }
    }

    @Test
    void ties_go_to_the_first_name_or_to_a_node_seeded_from_the_instance() {
        List<NodeView> nodes = List.of(node("c", 4000, 4096), node("a", 4000, 4096), node("b", 4000, 4096));
        assertThat(scheduler.place(hardware("x", "t", 100, 100), nodes)).isInstanceOfSatisfying(
                PlacementDecision.Placed.class, p -> assertThat(p.nodeName()).isEqualTo("a"));

        Scheduler seeded = new Scheduler(new SchedulerPolicy(64, TieBreak.SEEDED));
        List<String> chosen = IntStream.range(0, 30)
                .mapToObj(i -> ((PlacementDecision.Placed) seeded.place(hardware("x" + i, "t", 100, 100), nodes))
                        .nodeName())
                .toList();
        assertThat(chosen).containsOnly("a", "b", "c").contains("a", "b", "c");
        assertThat(((PlacementDecision.Placed) seeded.place(hardware("x0", "t", 100, 100), nodes)).nodeName())
                .isEqualTo(chosen.get(0));
    }

    @Test
    void a_filter_of_a_class_of_its_own_is_consulted_like_the_built_in_ones() {
        NodeFilter onlyB = (request, node) -> node.name().equals("b")
                ? java.util.Optional.empty()
                : java.util.Optional.of("not b");
        SchedulerPolicy policy = SchedulerPolicy.defaults();
        Scheduler custom = new Scheduler(policy, List.of(new Schedulable(), onlyB), List.of(new BinPacking(policy)));

        List<NodeView> nodes = List.of(node("a", 4000, 4096), node("b", 4000, 4096), node("c", 4000, 4096));

        assertThat(custom.place(shared("i", "t", 100, 100), nodes)).isInstanceOfSatisfying(
                PlacementDecision.Placed.class, p -> assertThat(p.nodeName()).isEqualTo("b"));
        assertThat(custom.place(shared("i", "t", 100, 100), List.of(node("a", 4000, 4096))))
                .isInstanceOfSatisfying(PlacementDecision.Unschedulable.class,
                        u -> assertThat(u.explanation()).hasToString("0/1 nodes available: 1 not b"));
    }
}
