package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.hardware;
import static dev.nanofleet.scheduler.core.Fixtures.labelled;
import static dev.nanofleet.scheduler.core.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeploymentSpreadTest {

    /** Two zones, two nodes each; a1 is half full so bin packing alone would always choose it. */
    private final List<NodeView> fleet = List.of(
            labelled(Fixtures.used(node("a1", 4000, 8192), 2000, 4096), Map.of("zone", "a")),
            labelled(node("a2", 4000, 8192), Map.of("zone", "a")),
            labelled(node("b1", 4000, 8192), Map.of("zone", "b")),
            labelled(node("b2", 4000, 8192), Map.of("zone", "b")));

    private final List<PlacementRequest> replicas = IntStream.range(0, 4)
            .mapToObj(i -> hardware("r" + i, "t", 100, 256))
            .toList();

    private List<String> placedWith(int spreadWeight) {
        Scheduler scheduler = new Scheduler(new SchedulerPolicy(64, TieBreak.NAME, spreadWeight, 0));
        return scheduler.placeAll(replicas, fleet).placed().stream().map(PlacementDecision.Placed::nodeName).toList();
    }

    @Test
    void by_default_replicas_alternate_zones_and_then_take_every_node() {
        List<String> nodes = placedWith(SchedulerPolicy.DEFAULT_SPREAD_WEIGHT);
        // the first goes where packing says; the second to the other zone; then the empty nodes of each zone
        assertThat(nodes.get(0)).isEqualTo("a1");
        assertThat(nodes.get(1)).startsWith("b");
        assertThat(nodes).containsExactlyInAnyOrder("a1", "a2", "b1", "b2");
    }

    @Test
    void with_weight_zero_bin_packing_alone_decides() {
        assertThat(placedWith(0)).containsOnly("a1");
    }

    @Test
    void shared_kernel_replicas_are_not_spread() {
        PlacementRequest replica = Fixtures.shared("s", "t", 100, 100);
        NodeView withReplica = node("n", 1000, 1024).withPlaced(replica, new dev.nanofleet.events.Resources(1, 1));
        assertThat(DeploymentSpread.raw(replica, withReplica, new Footprint(1, Map.of("", 1))))
                .isEqualTo(BinPacking.MAX);
    }

    @Test
    void a_node_and_zone_without_the_deployment_score_highest() {
        PlacementRequest replica = hardware("h", "t", 100, 100);
        NodeView holder = labelled(node("a1", 1000, 1024), Map.of("zone", "a"))
                .withPlaced(replica, new dev.nanofleet.events.Resources(1, 1));
        NodeView sameZone = labelled(node("a2", 1000, 1024), Map.of("zone", "a"));
        NodeView otherZone = labelled(node("b1", 1000, 1024), Map.of("zone", "b"));
        Footprint footprint = new Footprint(1, Map.of("a", 1));
        assertThat(DeploymentSpread.raw(replica, holder, footprint)).isZero();
        assertThat(DeploymentSpread.raw(replica, sameZone, footprint)).isEqualTo(500);
        assertThat(DeploymentSpread.raw(replica, otherZone, footprint)).isEqualTo(1000);
    }
}
