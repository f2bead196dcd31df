package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.labelled;
import static dev.nanofleet.scheduler.core.Fixtures.node;
import static dev.nanofleet.scheduler.core.Fixtures.ownedBy;
import static dev.nanofleet.scheduler.core.Fixtures.shared;
import static dev.nanofleet.scheduler.core.Fixtures.used;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplingTest {

    private final Scheduler sampling = new Scheduler(new SchedulerPolicy(64, TieBreak.NAME, 75, 5));

    private static List<NodeView> fleet(int size) {
        List<NodeView> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(labelled(node(String.format("n%03d", i), 4000, 8192), Map.of("zone", "z" + (i % 4))));
        }
        return nodes;
    }

    @Test
    void a_shared_kernel_replica_packs_onto_its_tenants_kernel_even_when_the_sample_misses_it() {
        List<NodeView> nodes = fleet(200);
        nodes.set(150, ownedBy(used(nodes.get(150), 1000, 2048), "a"));

        List<String> chosen = IntStream.range(0, 20)
                .mapToObj(i -> ((PlacementDecision.Placed) sampling.place(shared("r" + i, "a", 100, 128), nodes))
                        .nodeName())
                .toList();

        assertThat(chosen).containsOnly("n150");
    }

    @Test
    void a_sample_of_consecutive_nodes_covers_every_zone() {
        FleetIndex index = new FleetIndex(fleet(200));
        Set<String> zones = new HashSet<>();
        for (int i = 37; i < 41; i++) {
            zones.add(index.at(i).zone());
        }
        assertThat(zones).containsExactlyInAnyOrder("z0", "z1", "z2", "z3");
    }

    @Test
    void a_refusal_under_sampling_still_counts_every_node() {
        List<NodeView> nodes = fleet(200);
        assertThat(sampling.place(shared("big", "a", 100, 100_000), nodes)).isInstanceOfSatisfying(
                PlacementDecision.Unschedulable.class, u -> assertThat(u.explanation())
                        .hasToString("0/200 nodes available: 200 insufficient memory"));
    }
}
