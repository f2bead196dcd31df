package dev.nanofleet.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.events.NodeSchedulingChanged;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.BatchEventHandler;
import dev.nanofleet.messaging.ConsumerSettings;
import dev.nanofleet.messaging.DeadLetters;
import dev.nanofleet.messaging.EventConsumer;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-memory view and the batches, against PostgreSQL: a view another scheduler made stale is corrected at commit
 * instead of overbooking, a batch with one bad event still applies the others, a redelivered batch changes nothing.
 * The service's own consumer is off: the tests call the handler, or run a consumer of their own, and read the rows.
 * Each test cordons every node the earlier ones left, so only its own nodes take work.
 */
@QuarkusTest
@TestProfile(BatchedPlacementsIT.NoServiceConsumer.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "scheduler_batches_it"))
@QuarkusTestResource(value = OwnKafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KeycloakTestResource.class, restrictToAnnotatedClass = true)
class BatchedPlacementsIT {

    public static class NoServiceConsumer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nanofleet.scheduler.messaging.enabled", "false");
        }
    }

    @Inject
    SchedulerEventHandler handler;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void only_the_test_s_own_nodes_take_work() {
        List<String> nodes = QuarkusTransaction.requiringNew()
                .call(() -> em.createQuery("SELECT n.name FROM NodeEntity n WHERE n.status = :ready", String.class)
                        .setParameter("ready", dev.nanofleet.scheduler.core.NodeStatus.READY)
                        .getResultList());
        handler.handleAll(nodes.stream()
                .map(n -> new BatchEventHandler.Delivery(
                        Event.of("/it", Instant.now(), null, n, new NodeSchedulingChanged(n, NodeScheduling.CORDONED)),
                        null))
                .toList());
    }

    @Test
    void a_node_another_scheduler_filled_meanwhile_is_re_read_at_commit_and_the_replica_goes_elsewhere() {
        handle(register("stale-1", 4000, 4096), register("stale-2", 4000, 4096));
        Event<DeploymentCreated> first = deployment("tenant-s", 1, 100, 1000);
        handle(first);
        assertThat(nodeOf(first)).isEqualTo("stale-1");

        // another scheduler instance places a 2964 MiB VM on stale-1: this instance's view still has it at 1064 MiB
        QuarkusTransaction.requiringNew().run(() -> {
            NodeEntity node = em.find(NodeEntity.class, "stale-1");
            node.usedCpuMillis += 100;
            node.usedMemoryMiB += 2964;
            em.persist(placedElsewhere("stale-1", 100, 2964));
        });
        double conflicts = count("nanofleet.scheduler.conflicts");

        // bin packing prefers the fuller stale-1 as the view sees it; only 68 MiB are really left there
        Event<DeploymentCreated> second = deployment("tenant-s", 1, 100, 1000);
        handle(second);

        assertThat(nodeOf(second)).isEqualTo("stale-2");
        assertThat(count("nanofleet.scheduler.conflicts")).isGreaterThan(conflicts);
        NodeEntity stale1 = node("stale-1");
        assertThat(stale1.usedMemoryMiB).isEqualTo(1064 + 2964).isLessThanOrEqualTo(stale1.allocatableMemoryMiB);
        assertEveryNodeChargedExactlyItsPlacements();

        // and the view now knows: a third replica does not try stale-1 first
        double before = count("nanofleet.scheduler.conflicts");
        Event<DeploymentCreated> third = deployment("tenant-s", 1, 100, 1000);
        handle(third);
        assertThat(nodeOf(third)).isEqualTo("stale-2");
        assertThat(count("nanofleet.scheduler.conflicts")).isEqualTo(before);
    }

    @Test
    void a_refusal_is_checked_against_nodes_another_scheduler_freed_and_the_replica_placed_there() {
        handle(register("freed-1", 4000, 2048));
        Event<DeploymentCreated> filling = deployment("tenant-f", 1, 100, 1900);
        handle(filling);
        assertThat(nodeOf(filling)).isEqualTo("freed-1");

        // another scheduler instance applies the deletion of that deployment: the view still sees freed-1 full
        QuarkusTransaction.requiringNew().run(() -> {
            NodeEntity node = em.find(NodeEntity.class, "freed-1");
            node.usedCpuMillis = 0;
            node.usedMemoryMiB = 0;
            em.remove(em.find(PlacementEntity.class, instanceOf(filling)));
        });

        Event<DeploymentCreated> next = deployment("tenant-f", 1, 100, 1900);
        handle(next);

        assertThat(nodeOf(next)).isEqualTo("freed-1");
        assertThat(outboxTypesFor(next)).as("never announced unschedulable").containsExactly("instance.placed");
        assertEveryNodeChargedExactlyItsPlacements();
    }

    @Test
    void a_batch_with_one_bad_event_still_applies_the_others() throws Exception {
        handle(register("batch-1", 8000, 8192));
        String group = "scheduler-batch-it-" + UUID.randomUUID();
        Event<DeploymentCreated> good1 = deployment("tenant-b", 2, 100, 256);
        Event<DeploymentCreated> poison = deployment("tenant-\u0000-poison", 1, 100, 256);
        Event<DeploymentCreated> good2 = deployment("tenant-b", 1, 100, 256);
        List<Integer> offered = new CopyOnWriteArrayList<>();
        BatchEventHandler watched = new BatchEventHandler() {
            @Override
            public void handleAll(List<Delivery> deliveries) {
                offered.add(deliveries.size());
                handler.handleAll(deliveries);
            }

            @Override
            public void handle(Event<?> event, Instant publishedAt) {
                handler.handle(event, publishedAt);
            }

            @Override
            public void handle(Event<?> event) {
                handler.handle(event);
            }
        };
        KafkaClients.ensureTopics(bootstrap, 1, (short) 1);
        KafkaClients.ensureTopics(bootstrap, List.of(DeadLetters.topicFor(group)), 1, (short) 1);
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, group)) {
            // one key, one partition, all sent before the consumer starts: its first poll brings the three together
            for (Event<DeploymentCreated> event : List.of(good1, poison, good2)) {
                producer.send(new ProducerRecord<>(Topics.DEPLOYMENTS, group, EventCodec.encode(event))).get();
            }
            try (EventConsumer consumer = new EventConsumer(group, () -> KafkaClients.consumer(bootstrap, group),
                    List.of(Topics.DEPLOYMENTS), watched, new DeadLetters(producer, group),
                    ConsumerSettings.defaults())) {
                consumer.start();
                try (Consumer<String, byte[]> dlq = KafkaClients.consumer(bootstrap, group + "-reader")) {
                    dlq.subscribe(List.of(DeadLetters.topicFor(group)));
                    Event<?> dead = Await.value(Duration.ofSeconds(60), "the poison dead-lettered", () -> {
                        var records = dlq.poll(Duration.ofMillis(200));
                        return records.isEmpty() ? null : EventCodec.decode(records.iterator().next().value()).get();
                    });
                    assertThat(dead.id()).isEqualTo(poison.id());
                }
                Await.until(Duration.ofSeconds(30), "the good events applied",
                        () -> placed(good1) == 2 && placed(good2) == 1);
            }
        }

        assertThat(offered).as("the poll was offered whole first").isNotEmpty().first().isEqualTo(3);
        assertThat(placementRow(instanceOf(poison))).isNull();
        NodeEntity node = node("batch-1");
        assertThat(node.usedCpuMillis).as("each good replica charged once, though the failed batch planned them too")
                .isEqualTo(300);
        assertEveryNodeChargedExactlyItsPlacements();
    }

    @Test
    void a_redelivered_batch_changes_nothing_even_for_a_scheduler_that_starts_afresh() {
        handle(register("redo-1", 4000, 4096), register("redo-2", 4000, 4096));
        Event<DeploymentCreated> web = deployment("tenant-r", 3, 200, 256);
        Event<DeploymentCreated> db = deployment("tenant-r", 1, 500, 1024);
        List<Event<?>> batch = new ArrayList<>(List.of(web, db));
        handle(batch.toArray(Event[]::new));
        UUID ended = web.data().replicas().getFirst().instanceId();
        DeploymentCreated w = web.data();
        batch = List.of(
                Event.of("/it", Instant.now(), "tenant-r", ended.toString(),
                        new InstanceStateChanged(ended, w.deploymentId(), nodeOf(ended), InstanceState.FAILED, "test",
                                null, w.isolation(), w.resources())),
                Event.of("/it", Instant.now(), "tenant-r", w.deploymentId().toString(),
                        new DeploymentScaled(w.deploymentId(), "tenant-r", w.tenantTrust(), w.resources(),
                                w.isolation(), 3, List.of(new DeploymentCreated.Replica(UUID.randomUUID(), 3)),
                                List.of(w.replicas().get(1).instanceId()))),
                deployment("tenant-r", 2, 300, 512));
        handle(batch.toArray(Event[]::new));
        String before = snapshot();

        handle(batch.toArray(Event[]::new));
        assertThat(snapshot()).isEqualTo(before);

        handler.forgetView(); // a restarted scheduler reads the fleet afresh and gets the same batch again
        handle(batch.toArray(Event[]::new));
        handle(batch.getLast());
        assertThat(snapshot()).isEqualTo(before);
        assertEveryNodeChargedExactlyItsPlacements();
    }

    @Test
    void a_failed_batch_leaves_the_view_as_committed() {
        handle(register("undo-1", 4000, 4096));
        Event<DeploymentCreated> poison = deployment("tenant-\u0000-undo", 1, 1000, 1024);
        Event<DeploymentCreated> good = deployment("tenant-u", 1, 1000, 1024);

        assertThatThrownBy(() -> handle(good, poison)).isInstanceOf(RuntimeException.class);
        assertThat(placementRow(instanceOf(good))).isNull();

        handle(good);
        assertThat(node("undo-1").usedCpuMillis).isEqualTo(1000);
        assertEveryNodeChargedExactlyItsPlacements();
    }

    // ---- helpers

    private void handle(Event<?>... events) {
        handler.handleAll(List.of(events).stream().map(e -> new BatchEventHandler.Delivery(e, null)).toList());
    }

    private static Event<NodeRegistered> register(String node, int cpuMillis, int memoryMiB) {
        return Event.of("/it", Instant.now(), null, node, new NodeRegistered(node,
                new Resources(cpuMillis, memoryMiB), Set.of(Isolation.HARDWARE, Isolation.SHARED), Map.of()));
    }

    private static Event<DeploymentCreated> deployment(String tenant, int replicas, int cpuMillis, int memoryMiB) {
        UUID id = UUID.randomUUID();
        List<DeploymentCreated.Replica> list = IntStream.range(0, replicas)
                .mapToObj(i -> new DeploymentCreated.Replica(UUID.randomUUID(), i))
                .toList();
        return Event.of("/it", Instant.now(), tenant, id.toString(),
                new DeploymentCreated(id, tenant, TenantTrust.UNTRUSTED, "web", "registry.invalid/web:1",
                        new Resources(cpuMillis, memoryMiB), Isolation.HARDWARE, list));
    }

    private static UUID instanceOf(Event<DeploymentCreated> deployment) {
        return deployment.data().replicas().getFirst().instanceId();
    }

    /** A row as another scheduler instance would have written it. */
    private static PlacementEntity placedElsewhere(String node, int cpuMillis, int chargedMemoryMiB) {
        PlacementEntity placement = new PlacementEntity();
        placement.instanceId = UUID.randomUUID();
        placement.deploymentId = UUID.randomUUID();
        placement.tenant = "tenant-elsewhere";
        placement.trust = TenantTrust.UNTRUSTED;
        placement.isolation = Isolation.HARDWARE;
        placement.cpuMillis = cpuMillis;
        placement.memoryMiB = chargedMemoryMiB - 64;
        placement.chargedCpuMillis = cpuMillis;
        placement.chargedMemoryMiB = chargedMemoryMiB;
        placement.nodeName = node;
        placement.createdAt = Instant.now();
        placement.placedAt = Instant.now();
        return placement;
    }

    private String nodeOf(Event<DeploymentCreated> deployment) {
        return nodeOf(instanceOf(deployment));
    }

    private String nodeOf(UUID instance) {
        PlacementEntity row = placementRow(instance);
        return row == null ? null : row.nodeName;
    }

    private PlacementEntity placementRow(UUID instance) {
        return QuarkusTransaction.requiringNew().call(() -> em.find(PlacementEntity.class, instance));
    }

    private long placed(Event<DeploymentCreated> deployment) {
        return QuarkusTransaction.requiringNew()
                .call(() -> em.createQuery("""
                        SELECT count(p) FROM PlacementEntity p WHERE p.deploymentId = :d AND p.nodeName IS NOT NULL""",
                        Long.class).setParameter("d", deployment.data().deploymentId()).getSingleResult());
    }

    private NodeEntity node(String name) {
        return QuarkusTransaction.requiringNew().call(() -> em.find(NodeEntity.class, name));
    }

    /** The outgoing events about the deployment's replicas (keyed by deployment), oldest first. */
    private List<String> outboxTypesFor(Event<DeploymentCreated> deployment) {
        return QuarkusTransaction.requiringNew()
                .call(() -> em.createNativeQuery(
                        "SELECT type FROM outbox_event WHERE aggregate_id = ?1 ORDER BY seq", String.class)
                        .setParameter(1, deployment.data().deploymentId().toString())
                        .getResultList()
                        .stream()
                        .map(String.class::cast)
                        .toList());
    }

    private double count(String counter) {
        var found = registry.find(counter).counter();
        return found == null ? 0 : found.count();
    }

    /** Every row that says what happened: nodes, placements and the outbox, in a stable order. */
    private String snapshot() {
        return QuarkusTransaction.requiringNew().call(() -> String.join("\n",
                rows("SELECT name, used_cpu_millis, used_memory_mib, kernel_owner, status, version FROM nodes"),
                rows("""
                        SELECT instance_id, node_name, charged_cpu_millis, charged_memory_mib, reason, ended_at, version
                        FROM placements"""),
                rows("SELECT id, type, aggregate_id FROM outbox_event"),
                rows("SELECT count(*) FROM processed_event")));
    }

    private String rows(String sql) {
        return em.createNativeQuery(sql + " ORDER BY 1")
                .getResultList()
                .stream()
                .map(row -> row instanceof Object[] columns ? java.util.Arrays.toString(columns) : String.valueOf(row))
                .sorted()
                .toList()
                .toString();
    }

    /** What the two-scheduler guarantee means: each node's used capacity is the sum of its replicas' charges. */
    private void assertEveryNodeChargedExactlyItsPlacements() {
        QuarkusTransaction.requiringNew().run(() -> {
            for (NodeEntity node : em.createQuery("SELECT n FROM NodeEntity n", NodeEntity.class).getResultList()) {
                List<PlacementEntity> on = em.createQuery(
                        "SELECT p FROM PlacementEntity p WHERE p.nodeName = :n AND p.endedAt IS NULL",
                        PlacementEntity.class).setParameter("n", node.name).getResultList();
                assertThat(node.usedCpuMillis).as("cpu of " + node.name)
                        .isEqualTo(on.stream().mapToInt(p -> p.chargedCpuMillis).sum());
                assertThat(node.usedMemoryMiB).as("memory of " + node.name)
                        .isEqualTo(on.stream().mapToInt(p -> p.chargedMemoryMiB).sum())
                        .isLessThanOrEqualTo(node.allocatableMemoryMiB);
            }
        });
    }
}
