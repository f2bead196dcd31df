package dev.nanofleet.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentDeleted;
import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.NodeRemoved;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.scheduler.core.NodeStatus;
import dev.nanofleet.scheduler.core.Scheduler;
import dev.nanofleet.scheduler.core.SchedulerPolicy;
import dev.nanofleet.scheduler.core.TieBreak;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The event rules of one batch over the in-memory view, without a database. */
class BatchRunTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final Scheduler scheduler = new Scheduler(new SchedulerPolicy(64, TieBreak.NAME, 75, 50));
    private final FleetState state = new FleetState();

    @Test
    void a_deployment_created_and_deleted_in_one_batch_is_never_placed_and_leaves_no_row() {
        NodeState node = storedNode("n1", 4000, 4096);
        Event<DeploymentCreated> created = deployment(2, 500, 512);

        BatchRun run = new BatchRun(state, scheduler, NOW);
        run.apply(created, null);
        run.apply(Event.of("/t", NOW, "tenant", "d", new DeploymentDeleted(created.data().deploymentId(), "tenant")),
                null);
        run.finish();

        assertThat(run.outbox()).as("no placement for replicas the deployment no longer wants").isEmpty();
        assertThat(node.usedCpuMillis).isZero();
        assertThat(node.usedMemoryMiB).isZero();
        assertThat(state.ofDeployment(created.data().deploymentId())).isEmpty();
        FleetState.Changes changes = state.changes();
        assertThat(changes.replicas()).as("never stored, so nothing to insert or delete").isEmpty();
        assertThat(changes.deleted()).isEmpty();
        assertThat(changes.nodes()).as("never charged").isEmpty();
    }

    @Test
    void a_replica_scaled_away_later_in_its_batch_is_withdrawn_and_its_sibling_placed() {
        NodeState node = storedNode("n1", 4000, 4096);
        Event<DeploymentCreated> created = deployment(2, 500, 512);
        DeploymentCreated d = created.data();
        UUID second = d.replicas().get(1).instanceId();

        BatchRun run = new BatchRun(state, scheduler, NOW);
        run.apply(created, null);
        run.apply(Event.of("/t", NOW, "tenant", "d", new DeploymentScaled(d.deploymentId(), "tenant", d.tenantTrust(),
                d.resources(), d.isolation(), 1, List.of(), List.of(second))), null);
        run.finish();

        assertThat(run.outbox()).extracting(e -> ((InstancePlaced) e.data()).instanceId())
                .containsExactly(d.replicas().getFirst().instanceId());
        assertThat(state.replica(second)).isNull();
        assertThat(node.usedCpuMillis).isEqualTo(500);
    }

    @Test
    void a_removed_node_is_forgotten_after_its_replicas_move_and_its_row_is_deleted() {
        NodeState gone = storedNode("a-gone", 4000, 4096);
        NodeState other = storedNode("b-other", 4000, 4096);
        BatchRun first = new BatchRun(state, scheduler, NOW);
        first.apply(deployment(1, 500, 512), null);
        first.finish();
        Replica replica = state.changes().replicas().getFirst();
        state.committed();
        String placedOn = replica.nodeName;
        NodeState survivor = placedOn.equals(gone.name) ? other : gone;
        NodeState removed = state.node(placedOn);

        BatchRun run = new BatchRun(state, scheduler, NOW);
        run.apply(Event.of("/t", NOW, null, placedOn, new NodeRemoved(placedOn, "removed by ops")), null);
        run.finish();

        assertThat(state.node(placedOn)).isNull();
        assertThat(state.nodes()).containsExactly(survivor);
        assertThat(replica.nodeName).as("moved, as for a lost node").isEqualTo(survivor.name);
        assertThat(run.outbox()).extracting(e -> ((InstancePlaced) e.data()).nodeName()).containsExactly(survivor.name);
        FleetState.Changes changes = state.changes();
        assertThat(changes.deletedNodes()).containsExactly(removed);
        assertThat(changes.nodes()).containsExactly(survivor);
        assertThat(state.touched().nodes()).contains(placedOn);
    }

    @Test
    void removing_a_node_nobody_knows_changes_nothing() {
        storedNode("n1", 4000, 4096);

        BatchRun run = new BatchRun(state, scheduler, NOW);
        run.apply(Event.of("/t", NOW, null, "ghost", new NodeRemoved("ghost", "removed by ops")), null);
        run.finish();

        assertThat(run.outbox()).isEmpty();
        assertThat(state.changes().isEmpty()).isTrue();
        assertThat(state.nodes()).hasSize(1);
    }

    @Test
    void a_replica_asked_for_twice_in_one_batch_is_placed_once() {
        NodeState node = storedNode("n1", 4000, 4096);
        Event<DeploymentCreated> created = deployment(1, 500, 512);
        Event<DeploymentCreated> again = Event.of("/t", NOW, "tenant", "d", created.data());

        BatchRun run = new BatchRun(state, scheduler, NOW);
        run.apply(created, null);
        run.apply(again, null);
        run.finish();

        assertThat(run.outbox()).hasSize(1);
        assertThat(node.usedCpuMillis).isEqualTo(500);
    }

    @Test
    void replicas_refused_early_in_a_batch_are_placed_when_a_node_registers_later_in_it() {
        storedNode("small", 1000, 1024);
        Event<DeploymentCreated> big = deployment(2, 2000, 512);

        BatchRun run = new BatchRun(state, scheduler, NOW);
        run.apply(big, null);
        run.apply(Event.of("/t", NOW, null, "big", new NodeRegistered("big", new Resources(8000, 8192),
                Set.of(Isolation.HARDWARE, Isolation.SHARED), Map.of())), null);
        run.finish();

        assertThat(run.outbox()).extracting(e -> e.data().getClass().getSimpleName())
                .containsExactly("InstanceUnschedulable", "InstanceUnschedulable", "InstancePlaced", "InstancePlaced");
        assertThat(run.refusalAnnounced()).isTrue();
        assertThat(state.node("big").usedCpuMillis).isEqualTo(4000);
        assertThat(state.node("big").stored).as("inserted at commit").isFalse();
        assertThat(state.pending()).isEmpty();
    }

    @Test
    void committed_changes_take_the_next_version_and_are_forgotten() {
        NodeState node = storedNode("n1", 4000, 4096);
        BatchRun run = new BatchRun(state, scheduler, NOW);
        run.apply(deployment(1, 500, 512), null);
        run.finish();
        Replica replica = state.changes().replicas().getFirst();

        state.committed();

        assertThat(node.version).isEqualTo(8);
        assertThat(replica.stored).isTrue();
        assertThat(replica.version).isZero();
        assertThat(state.changes().isEmpty()).isTrue();
    }

    private NodeState storedNode(String name, int cpu, int memory) {
        NodeState node = new NodeState(name);
        node.allocatableCpuMillis = cpu;
        node.allocatableMemoryMiB = memory;
        node.isolations = Set.of(Isolation.HARDWARE, Isolation.SHARED);
        node.labels = Map.of();
        node.status = NodeStatus.READY;
        node.registeredAt = NOW;
        node.lastHeartbeat = NOW;
        node.version = 7;
        node.stored = true;
        state.put(node);
        return node;
    }

    private static Event<DeploymentCreated> deployment(int replicas, int cpu, int memory) {
        UUID id = UUID.randomUUID();
        List<DeploymentCreated.Replica> list = IntStream.range(0, replicas)
                .mapToObj(i -> new DeploymentCreated.Replica(UUID.randomUUID(), i))
                .toList();
        return Event.of("/t", NOW, "tenant", id.toString(), new DeploymentCreated(id, "tenant", TenantTrust.UNTRUSTED,
                "web", "registry.invalid/web:1", new Resources(cpu, memory), Isolation.HARDWARE, list));
    }
}
