package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.hardware;
import static dev.nanofleet.scheduler.core.Fixtures.labelled;
import static dev.nanofleet.scheduler.core.Fixtures.node;
import static dev.nanofleet.scheduler.core.Fixtures.ownedBy;
import static dev.nanofleet.scheduler.core.Fixtures.shared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.events.Resources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FleetIndexTest {

    private static NodeView withReplicas(NodeView node, Map<UUID, Integer> replicas) {
        return new NodeView(node.name(), node.allocatable(), node.used(), node.isolations(), node.labels(),
                node.status(), node.kernelOwner(), replicas);
    }

    @Test
    void a_node_no_placement_touched_comes_back_as_the_view_it_was_given() {
        NodeView idle = node("idle", 4000, 4096);
        Scheduler.Session session = new Scheduler(SchedulerPolicy.defaults())
                .session(List.of(idle, node("busy", 4000, 4096)));

        session.place(shared("i", "a", 100, 100));

        Map<String, NodeView> nodes = session.nodes();
        assertThat(nodes.values()).filteredOn(n -> n.used().cpuMillis() == 0).singleElement().isSameAs(idle);
        assertThat(nodes.values()).filteredOn(n -> n.used().cpuMillis() > 0).singleElement()
                .satisfies(n -> assertThat(n.kernelOwner()).isEqualTo("a"));
    }

    @Test
    void replicas_given_with_the_nodes_are_spread_from_and_come_back_with_the_new_ones() {
        UUID other = Fixtures.id("other deployment");
        NodeView a1 = withReplicas(labelled(node("a1", 4000, 8192), Map.of("zone", "a")),
                Map.of(Fixtures.DEPLOYMENT, 1, other, 2));
        NodeView b1 = withReplicas(labelled(node("b1", 4000, 8192), Map.of("zone", "b")), Map.of(other, 1));
        Scheduler.Session session = new Scheduler(SchedulerPolicy.defaults()).session(List.of(a1, b1));

        // the deployment already runs in zone a, so its next VM goes to zone b
        assertThat(session.place(hardware("r", "t", 100, 100))).isInstanceOfSatisfying(PlacementDecision.Placed.class,
                p -> assertThat(p.nodeName()).isEqualTo("b1"));
        assertThat(session.nodes().get("b1").replicasByDeployment())
                .containsExactlyInAnyOrderEntriesOf(Map.of(other, 1, Fixtures.DEPLOYMENT, 1));
        assertThat(session.nodes().get("a1")).isSameAs(a1);
    }

    @Test
    void a_deployment_on_more_nodes_than_a_short_search_covers_is_counted_on_each_of_them() {
        UUID other = Fixtures.id("other deployment");
        List<NodeView> nodes = new ArrayList<>();
        int[] expected = new int[40];
        for (int i = 0; i < 40; i++) {
            expected[i] = i % 2 == 0 ? 1 + i % 3 : 0;
            Map<UUID, Integer> replicas = expected[i] > 0
                    ? Map.of(Fixtures.DEPLOYMENT, expected[i], other, 1)
                    : Map.of();
            nodes.add(withReplicas(node(String.format("n%02d", i), 4000, 4096), replicas));
        }
        FleetIndex index = new FleetIndex(nodes);

        Footprint footprint = index.prepare(hardware("r", "t", 1, 1));

        assertThat(footprint.total()).isEqualTo(Arrays.stream(expected).sum());
        for (int at = 0; at < index.size(); at++) {
            int n = Integer.parseInt(index.name(at).substring(1));
            FleetIndex.Cursor node = index.cursor().moveTo(at);
            assertThat(node.replicasOf(Fixtures.DEPLOYMENT)).as(index.name(at)).isEqualTo(expected[n]);
            assertThat(node.replicasOf(other)).as(index.name(at)).isEqualTo(expected[n] > 0 ? 1 : 0);
            assertThat(node.replicasOf(Fixtures.id("absent"))).isZero();
        }
    }

    @Test
    void a_kernel_given_with_a_node_and_one_claimed_later_are_both_the_tenants_in_scan_order() {
        FleetIndex index = new FleetIndex(List.of(node("n1", 4000, 4096), ownedBy(node("n2", 4000, 4096), "a"),
                node("n3", 4000, 4096)));

        index.apply(0, shared("i", "a", 100, 100), new Resources(100, 100));
        index.prepare(shared("j", "a", 1, 1));

        int tenant = index.preparedTenant();
        assertThat(Arrays.copyOf(index.kernels(tenant), index.kernelCount(tenant))).containsExactly(0, 1);
        assertThat(index.cursor().moveTo(2).kernelOpenTo("a")).isTrue();
        assertThat(index.cursor().moveTo(1).kernelOpenTo("a")).isTrue();
        assertThat(index.cursor().moveTo(1).kernelOpenTo(new String("a"))).isTrue();
        assertThat(index.cursor().moveTo(1).kernelOpenTo("b")).isFalse();
    }

    @Test
    void a_tenant_that_owns_no_kernel_finds_every_owned_node_closed() {
        FleetIndex index = new FleetIndex(List.of(ownedBy(node("n1", 4000, 4096), "a"), node("n2", 4000, 4096)));

        index.prepare(shared("j", "b", 1, 1));

        assertThat(index.preparedTenant()).isNegative();
        assertThat(index.cursor().moveTo(0).kernelOpenTo("b")).isFalse();
        assertThat(index.cursor().moveTo(1).kernelOpenTo("b")).isTrue();
    }

    @Test
    void two_nodes_with_one_name_are_refused() {
        List<NodeView> twins = List.of(labelled(node("n", 1, 1), Map.of("zone", "a")),
                labelled(node("n", 1, 1), Map.of("zone", "b")));

        assertThatThrownBy(() -> new FleetIndex(twins)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two nodes named n");
    }
}
