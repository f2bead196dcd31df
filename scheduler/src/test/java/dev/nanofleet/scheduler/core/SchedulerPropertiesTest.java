package dev.nanofleet.scheduler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of the core over random fleets, workloads and policies (jqwik shrinks a failure to a small case). The
 * fleets include cordoned, draining and lost nodes, nodes already partly used, owned by a tenant's kernel or running
 * replicas of the workload's deployments, zones and nodes without one; the workloads mix tenants, trust, both isolation modes and zone selectors.
 */
class SchedulerPropertiesTest {

    private static final List<String> TENANTS = List.of("t0", "t1", "t2", "t3");
    private static final List<String> ZONES = List.of("a", "b", "c");

    record Case(List<NodeView> nodes, List<PlacementRequest> requests, SchedulerPolicy policy) {
    }

    @Property(tries = 300)
    void no_node_is_ever_over_committed_vm_overhead_included(@ForAll("cases") Case c) {
        Plan plan = new Scheduler(c.policy()).placeAll(c.requests(), c.nodes());

        Map<String, long[]> charged = new HashMap<>();
        for (PlacementDecision.Placed placed : plan.placed()) {
            PlacementRequest r = placed.request();
            long overhead = r.isolation() == Isolation.HARDWARE ? c.policy().vmOverheadMiB() : 0;
            // computed here, not with the policy under test
            assertThat(placed.charged())
                    .isEqualTo(new Resources(r.resources().cpuMillis(), (int) (r.resources().memoryMiB() + overhead)));
            long[] sum = charged.computeIfAbsent(placed.nodeName(), n -> new long[2]);
            sum[0] += r.resources().cpuMillis();
            sum[1] += r.resources().memoryMiB() + overhead;
        }
        for (NodeView before : c.nodes()) {
            long[] sum = charged.getOrDefault(before.name(), new long[2]);
            assertThat(before.used().cpuMillis() + sum[0]).as("cpu of %s", before.name())
                    .isLessThanOrEqualTo(before.allocatable().cpuMillis());
            assertThat(before.used().memoryMiB() + sum[1]).as("memory of %s", before.name())
                    .isLessThanOrEqualTo(before.allocatable().memoryMiB());
            NodeView after = plan.nodes().get(before.name());
            assertThat(after.used())
                    .isEqualTo(new Resources((int) (before.used().cpuMillis() + sum[0]),
                            (int) (before.used().memoryMiB() + sum[1])));
        }
    }

    @Property(tries = 300)
    void no_node_kernel_is_shared_by_two_tenants(@ForAll("cases") Case c) {
        Plan plan = new Scheduler(c.policy()).placeAll(c.requests(), c.nodes());

        Map<String, Set<String>> kernelTenants = new HashMap<>();
        for (NodeView node : c.nodes()) {
            if (node.kernelOwner() != null) {
                kernelTenants.computeIfAbsent(node.name(), n -> new HashSet<>()).add(node.kernelOwner());
            }
        }
        for (PlacementDecision.Placed placed : plan.placed()) {
            if (placed.request().isolation() == Isolation.SHARED) {
                kernelTenants.computeIfAbsent(placed.nodeName(), n -> new HashSet<>()).add(placed.request().tenant());
            }
        }
        assertThat(kernelTenants).allSatisfy((node, tenants) -> assertThat(tenants).as(node).hasSize(1));
    }

    @Property(tries = 300)
    void every_placement_satisfies_its_constraints(@ForAll("cases") Case c) {
        Plan plan = new Scheduler(c.policy()).placeAll(c.requests(), c.nodes());

        Map<String, NodeView> before = new HashMap<>();
        c.nodes().forEach(n -> before.put(n.name(), n));
        for (PlacementDecision.Placed placed : plan.placed()) {
            PlacementRequest r = placed.request();
            NodeView node = before.get(placed.nodeName());
            assertThat(node).as("placed on a node of the fleet").isNotNull();
            assertThat(node.status()).isEqualTo(NodeStatus.READY);
            assertThat(node.isolations()).contains(r.isolation());
            assertThat(node.labels()).containsAllEntriesOf(r.nodeSelector());
            if (r.isolation() == Isolation.SHARED) {
                assertThat(r.trust()).isEqualTo(TenantTrust.TRUSTED);
            }
        }
    }

    @Property(tries = 300)
    void a_replica_is_refused_only_when_no_node_could_take_it_and_every_node_is_counted(@ForAll("cases") Case c) {
        Scheduler scheduler = new Scheduler(c.policy());
        Scheduler exhaustive = new Scheduler(new SchedulerPolicy(c.policy().vmOverheadMiB(), c.policy().tieBreak(),
                c.policy().spreadWeight(), 0));
        Scheduler.Session session = scheduler.session(c.nodes());
        for (PlacementRequest request : c.requests()) {
            // the exhaustive scheduler over the same view agrees on whether the request fits at all
            PlacementDecision full = exhaustive.place(request, session.nodes().values());
            PlacementDecision decision = session.place(request);
            assertThat(decision.getClass()).isEqualTo(full.getClass());
            if (decision instanceof PlacementDecision.Unschedulable u) {
                assertThat(u.explanation().nodes()).isEqualTo(c.nodes().size());
                assertThat(u.explanation().rejections().values().stream().mapToInt(Integer::intValue).sum())
                        .isEqualTo(c.nodes().size());
            }
        }
    }

    @Property(tries = 200)
    void the_same_input_gives_the_same_output_whatever_the_node_order(@ForAll("cases") Case c,
            @ForAll long shuffleSeed) {
        Plan first = new Scheduler(c.policy()).placeAll(c.requests(), c.nodes());
        List<NodeView> shuffled = new ArrayList<>(c.nodes());
        Collections.shuffle(shuffled, new Random(shuffleSeed));

        Plan second = new Scheduler(c.policy()).placeAll(c.requests(), shuffled);

        assertThat(second.decisions()).isEqualTo(first.decisions());
        assertThat(second.nodes()).isEqualTo(first.nodes());
    }

    @Property(tries = 300)
    void the_indexed_scheduler_decides_exactly_as_the_plain_reference(@ForAll("cases") Case c) {
        Plan indexed = new Scheduler(c.policy()).placeAll(c.requests(), c.nodes());

        Plan reference = new ReferenceScheduler(c.policy()).placeAll(c.requests(), c.nodes());

        assertThat(indexed.decisions()).isEqualTo(reference.decisions());
        assertThat(indexed.nodes()).isEqualTo(reference.nodes());
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<SchedulerPolicy> policies = Combinators
                .combine(Arbitraries.integers().between(0, 256), Arbitraries.of(TieBreak.class),
                        Arbitraries.integers().between(0, 100), Arbitraries.integers().between(0, 6))
                .as(SchedulerPolicy::new);
        Arbitrary<List<NodeView>> fleets = node().list().ofMinSize(0).ofMaxSize(25).map(SchedulerPropertiesTest::named);
        Arbitrary<List<PlacementRequest>> workloads = request().list().ofMinSize(1).ofMaxSize(40);
        return Combinators.combine(fleets, workloads, policies).as(Case::new);
    }

    /** Node names are assigned by position, so they are unique. */
    private static List<NodeView> named(List<NodeView> nodes) {
        List<NodeView> named = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeView n = nodes.get(i);
            named.add(new NodeView("node-" + i, n.allocatable(), n.used(), n.isolations(), n.labels(), n.status(),
                    n.kernelOwner(), n.replicasByDeployment()));
        }
        return named;
    }

    private Arbitrary<NodeView> node() {
        Arbitrary<Integer> cpu = Arbitraries.integers().between(0, 16_000);
        Arbitrary<Integer> memory = Arbitraries.integers().between(0, 32_768);
        Arbitrary<Integer> usedShare = Arbitraries.integers().between(0, 100);
        Arbitrary<Set<Isolation>> isolations = Arbitraries.of(Isolation.class).set().ofMinSize(0).ofMaxSize(2);
        Arbitrary<Map<String, String>> labels = Arbitraries.of(ZONES).injectNull(0.2)
                .map(z -> z == null ? Map.<String, String>of() : Map.of("zone", z));
        Arbitrary<NodeStatus> status = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(NodeStatus.READY)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(NodeStatus.CORDONED, NodeStatus.DRAINING, NodeStatus.LOST)));
        Arbitrary<String> owner = Arbitraries.of(TENANTS).injectNull(0.6);
        // replicas already running there, of the deployments the workloads use
        Arbitrary<Map<UUID, Integer>> replicas = Arbitraries
                .maps(Arbitraries.integers().between(0, 5).map(i -> new UUID(0, i)),
                        Arbitraries.integers().between(1, 3))
                .ofMaxSize(2);
        return Combinators.combine(cpu, memory, usedShare, isolations, labels, status, owner, replicas)
                .as((c, m, share, iso, l, s, o, r) -> new NodeView("unnamed", new Resources(c, m),
                        new Resources(c * share / 100, m * share / 100), iso, l, s, o, r));
    }

    private Arbitrary<PlacementRequest> request() {
        Arbitrary<UUID> instance = Arbitraries.longs().map(l -> new UUID(l, ~l));
        Arbitrary<UUID> deployment = Arbitraries.integers().between(0, 5).map(i -> new UUID(0, i));
        Arbitrary<String> tenant = Arbitraries.of(TENANTS);
        Arbitrary<TenantTrust> trust = Arbitraries.of(TenantTrust.class);
        Arbitrary<Isolation> isolation = Arbitraries.of(Isolation.class);
        Arbitrary<Resources> resources = Combinators
                .combine(Arbitraries.integers().between(0, 4_000), Arbitraries.integers().between(0, 8_192))
                .as(Resources::new);
        Arbitrary<Map<String, String>> selector = Arbitraries.of(ZONES).injectNull(0.7)
                .map(z -> z == null ? Map.<String, String>of() : Map.of("zone", z));
        return Combinators.combine(instance, deployment, tenant, trust, isolation, resources, selector)
                .as(PlacementRequest::new);
    }
}
