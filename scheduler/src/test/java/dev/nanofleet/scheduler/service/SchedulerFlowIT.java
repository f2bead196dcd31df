package dev.nanofleet.scheduler.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentDeleted;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scheduler against a real PostgreSQL and Kafka, driven only through events. One fleet story in order: the
 * broker and database live as long as the test JVM and the topic names are fixed, so the steps build on each other's
 * nodes instead of pretending to be isolated.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerFlowIT {

    private static final Set<Isolation> BOTH = Set.of(Isolation.HARDWARE, Isolation.SHARED);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private Producer<String, byte[]> producer;
    private InstanceEvents instances;
    private Event<DeploymentCreated> tenantBDeployment;
    private UUID tooBigInstance;
    private Event<DeploymentCreated> tenantADeployment;

    @Inject
    SchedulerEventHandler handler;

    @BeforeAll
    void connect() {
        producer = KafkaClients.producer(bootstrap, "scheduler-it");
        instances = new InstanceEvents(bootstrap);
    }

    @AfterAll
    void disconnect() {
        instances.close();
        producer.close();
    }

    @Test
    @Order(1)
    void every_replica_is_placed_on_a_registered_node_with_room() {
        register("node-a", 2000, 2048);
        register("node-b", 2000, 2048);
        // nodes and deployments travel on different topics, which Kafka does not order against each other
        Await.until(Duration.ofSeconds(30), "both nodes registered",
                () -> given().get("/v1/scheduler/nodes").jsonPath().getList("name").size() == 2);
        Event<DeploymentCreated> deployment = deployment("tenant-a", TenantTrust.TRUSTED, Isolation.SHARED, 3, 500,
                256);
        tenantADeployment = deployment;
        send(deployment);

        List<InstancePlaced> placed = instances.await(InstancePlaced.class,
                p -> p.deploymentId().equals(deployment.data().deploymentId()), 3);

        assertThat(placed).extracting(InstancePlaced::instanceId)
                .containsExactlyInAnyOrderElementsOf(instanceIds(deployment));
        assertThat(placed).allSatisfy(p -> {
            assertThat(p.isolation()).isEqualTo(Isolation.SHARED);
            // bin packing: one tenant's shared-kernel replicas fill one node before opening another
            assertThat(p.nodeName()).isEqualTo("node-a");
        });
        JsonPath nodes = given().get("/v1/scheduler/nodes").then().statusCode(200).extract().jsonPath();
        assertThat(nodes.getList("name")).containsExactly("node-a", "node-b");
        assertThat(nodes.getInt("find { it.name == 'node-a' }.used.memoryMiB")).isEqualTo(768);
        assertThat(nodes.getString("find { it.name == 'node-a' }.kernelOwner")).isEqualTo("tenant-a");
    }

    @Test
    @Order(2)
    void a_replica_too_big_for_every_node_is_unschedulable_with_the_reasons() {
        Event<DeploymentCreated> deployment = deployment("tenant-c", TenantTrust.UNTRUSTED, Isolation.HARDWARE, 1,
                1000, 4000);
        tooBigInstance = instanceIds(deployment).getFirst();
        send(deployment);

        InstanceUnschedulable unschedulable = instances
                .await(InstanceUnschedulable.class, u -> u.instanceId().equals(tooBigInstance), 1)
                .getFirst();

        assertThat(unschedulable.reason()).isEqualTo("0/2 nodes available: 2 insufficient memory");
    }

    @Test
    @Order(3)
    void a_shared_kernel_replica_of_another_tenant_avoids_the_node_whose_kernel_is_taken() {
        tenantBDeployment = deployment("tenant-b", TenantTrust.TRUSTED, Isolation.SHARED, 1, 100, 128);
        send(tenantBDeployment);

        InstancePlaced placed = instances.await(InstancePlaced.class,
                p -> p.deploymentId().equals(tenantBDeployment.data().deploymentId()), 1).getFirst();

        // node-a is fuller, so bin packing alone would pick it; tenant-a's kernel runs there
        assertThat(placed.nodeName()).isEqualTo("node-b");
    }

    @Test
    @Order(4)
    void a_replayed_event_changes_nothing() {
        String before = given().get("/v1/scheduler/nodes").then().statusCode(200).extract().asString();

        send(tenantBDeployment);
        // a marker on the same partition: once it is placed, the replay before it was consumed too
        Event<DeploymentCreated> marker = deployment("tenant-b", TenantTrust.TRUSTED, Isolation.SHARED, 1, 1, 1);
        producer.send(
                new ProducerRecord<>(marker.topic(), tenantBDeployment.partitionKey(), EventCodec.encode(marker)));
        producer.flush();
        instances.await(InstancePlaced.class, p -> p.deploymentId().equals(marker.data().deploymentId()), 1);

        assertThat(instances.matching(InstancePlaced.class,
                p -> p.deploymentId().equals(tenantBDeployment.data().deploymentId()))).hasSize(1);
        JsonPath after = given().get("/v1/scheduler/nodes").then().extract().jsonPath();
        JsonPath was = JsonPath.from(before);
        // only the marker's 1 mCPU / 1 MiB was added to node-b
        assertThat(after.getInt("find { it.name == 'node-b' }.used.memoryMiB"))
                .isEqualTo(was.getInt("find { it.name == 'node-b' }.used.memoryMiB") + 1);
        assertThat(after.getInt("find { it.name == 'node-a' }.used.memoryMiB"))
                .isEqualTo(was.getInt("find { it.name == 'node-a' }.used.memoryMiB"));
    }

    @Test
    @Order(5)
    void a_pending_replica_is_placed_once_a_node_with_room_registers() {
        register("node-big", 4000, 8192);

        InstancePlaced placed = instances.await(InstancePlaced.class, p -> p.instanceId().equals(tooBigInstance), 1)
                .getFirst();

        assertThat(placed.nodeName()).isEqualTo("node-big");
        assertThat(placed.isolation()).isEqualTo(Isolation.HARDWARE);
        // charged the VM overhead on top of its 4000 MiB
        given().get("/v1/scheduler/nodes")
                .then()
                .body("find { it.name == 'node-big' }.used.memoryMiB", equalTo(4000 + 64));
    }

    @Test
    @Order(6)
    void health_and_metrics_report_the_scheduler() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("scheduler-messaging"));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("nanofleet_scheduler_placements_total{isolation=\"shared\"}"))
                .body(containsString("nanofleet_scheduler_unschedulable_total{reason=\"insufficient memory\"}"));
    }

    @Test
    @Order(7)
    void deleting_a_deployment_frees_its_capacity_and_its_kernel() {
        send(Event.of("/it", Instant.now(), "tenant-a", tenantADeployment.subject(),
                new DeploymentDeleted(tenantADeployment.data().deploymentId(), "tenant-a")));

        Await.untilAsserted(Duration.ofSeconds(30), "node-a emptied", () -> given().get("/v1/scheduler/nodes")
                .then()
                .body("find { it.name == 'node-a' }.used.memoryMiB", equalTo(0))
                .body("find { it.name == 'node-a' }.kernelOwner", nullValue())
                .body("find { it.name == 'node-a' }.instances", equalTo(0)));
    }

    @Test
    @Order(8)
    void schedulers_racing_for_one_node_never_overbook_it() throws Exception {
        // node-big has 4128 MiB free, node-a and node-b at most 2048: one of these VMs (2564 MiB charged) fits
        List<Event<DeploymentCreated>> racing = IntStream.range(0, 3)
                .mapToObj(i -> deployment("tenant-r" + i, TenantTrust.UNTRUSTED, Isolation.HARDWARE, 1, 100, 2500))
                .toList();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(racing.size())) {
            List<Future<Void>> done = racing.stream().map(e -> pool.submit((Callable<Void>) () -> {
                start.await();
                handler.handle(e);
                return null;
            })).toList();
            start.countDown();
            for (Future<Void> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        List<UUID> ids = racing.stream().map(e -> instanceIds(e).getFirst()).toList();
        List<InstancePlaced> placed = instances.await(InstancePlaced.class, p -> ids.contains(p.instanceId()), 1);
        List<InstanceUnschedulable> refused = instances.await(InstanceUnschedulable.class,
                u -> ids.contains(u.instanceId()), 2);
        assertThat(placed).hasSize(1).allSatisfy(p -> assertThat(p.nodeName()).isEqualTo("node-big"));
        assertThat(refused).hasSize(2)
                .allSatisfy(u -> assertThat(u.reason()).isEqualTo("0/3 nodes available: 3 insufficient memory"));
        JsonPath nodes = given().get("/v1/scheduler/nodes").then().extract().jsonPath();
        assertThat(nodes.getInt("find { it.name == 'node-big' }.used.memoryMiB")).isEqualTo(4064 + 2564);
    }

    private void register(String node, int cpuMillis, int memoryMiB) {
        send(Event.of("/it", Instant.now(), null, node,
                new NodeRegistered(node, new Resources(cpuMillis, memoryMiB), BOTH, Map.of("zone", "it"))));
    }

    private static Event<DeploymentCreated> deployment(String tenant, TenantTrust trust, Isolation isolation,
            int replicas, int cpuMillis, int memoryMiB) {
        UUID id = UUID.randomUUID();
        List<DeploymentCreated.Replica> replicaList = IntStream.range(0, replicas)
                .mapToObj(i -> new DeploymentCreated.Replica(UUID.randomUUID(), i))
                .toList();
        return Event.of("/it", Instant.now(), tenant, id.toString(),
                new DeploymentCreated(id, tenant, trust, "web", "registry.invalid/web:1",
                        new Resources(cpuMillis, memoryMiB), isolation, List.of(), Map.of(), replicaList));
    }

    private static List<UUID> instanceIds(Event<DeploymentCreated> deployment) {
        return deployment.data().replicas().stream().map(DeploymentCreated.Replica::instanceId).toList();
    }

    private void send(Event<?> event) {
        try {
            producer.send(new ProducerRecord<>(event.topic(), event.partitionKey(), EventCodec.encode(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + event.type().typeName(), e);
        }
    }
}
