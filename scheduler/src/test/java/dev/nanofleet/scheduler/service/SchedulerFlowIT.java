package dev.nanofleet.scheduler.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentDeleted;
import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.events.NodeSchedulingChanged;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.NodeRemoved;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.NodeLiveness;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.ConsumerSettings;
import dev.nanofleet.messaging.DeadLetters;
import dev.nanofleet.messaging.EventConsumer;
import dev.nanofleet.messaging.EventHandler;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.restassured.RestAssured;
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
@QuarkusTestResource(value = KeycloakTestResource.class, restrictToAnnotatedClass = true)
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

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    @BeforeAll
    void connect() {
        producer = KafkaClients.producer(bootstrap, "scheduler-it");
        instances = new InstanceEvents(bootstrap);
        // the story reads the node list as an operator; SchedulerSecurityIT covers who else may not
        RestAssured.authentication = RestAssured.oauth2(KeycloakServer.shared().passwordToken("ops", "nanofleet"));
    }

    @AfterAll
    void disconnect() {
        RestAssured.authentication = RestAssured.DEFAULT_AUTH;
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
                .body(containsString("nanofleet_scheduler_unschedulable_total{reason=\"insufficient memory\"}"))
                .body(containsString("nanofleet_scheduler_pending "))
                .body(containsString("nanofleet_scheduler_time_to_place_seconds_count"))
                .body(containsString("nanofleet_scheduler_event_handling_seconds_count{type=\"deployment.created\"}"))
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max"));
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

    @Test
    @Order(9)
    void the_instances_of_a_node_control_api_declares_lost_come_back_on_another_node() {
        register("node-x", 8000, 65536);
        register("node-y", 8000, 65536);
        Await.until(Duration.ofSeconds(30), "node-x and node-y registered",
                () -> given().get("/v1/scheduler/nodes").jsonPath().getList("name").containsAll(
                        List.of("node-x", "node-y")));
        // only node-x and node-y have room for these VMs; spreading puts one on each
        Event<DeploymentCreated> deployment = deployment("tenant-l", TenantTrust.UNTRUSTED, Isolation.HARDWARE, 2,
                100, 20000);
        send(deployment);
        List<InstancePlaced> placed = instances.await(InstancePlaced.class,
                p -> p.deploymentId().equals(deployment.data().deploymentId()), 2);
        assertThat(placed).extracting(InstancePlaced::nodeName).containsExactlyInAnyOrder("node-x", "node-y");
        UUID stranded = placed.stream().filter(p -> p.nodeName().equals("node-y")).findFirst().orElseThrow()
                .instanceId();

        JsonPath before = given().get("/v1/scheduler/nodes").then().extract().jsonPath();
        int xMemory = before.getInt("find { it.name == 'node-x' }.used.memoryMiB");
        int xInstances = before.getInt("find { it.name == 'node-x' }.instances");

        send(status("node-y", NodeLiveness.LOST));

        List<InstancePlaced> again = instances.await(InstancePlaced.class, p -> p.instanceId().equals(stranded), 2);

        assertThat(again.get(1).nodeName()).isEqualTo("node-x");
        assertThat(again.get(1).deploymentId()).isEqualTo(deployment.data().deploymentId());
        Await.untilAsserted(Duration.ofSeconds(30), "node-y lost and empty", () -> given().get("/v1/scheduler/nodes")
                .then()
                .body("find { it.name == 'node-y' }.status", equalTo("LOST"))
                .body("find { it.name == 'node-y' }.used.memoryMiB", equalTo(0))
                .body("find { it.name == 'node-y' }.instances", equalTo(0))
                .body("find { it.name == 'node-x' }.used.memoryMiB", equalTo(xMemory + 20000 + 64))
                .body("find { it.name == 'node-x' }.instances", equalTo(xInstances + 1)));
        // nothing else was lost
        assertThat(
                given().get("/v1/scheduler/nodes").jsonPath().<String>getList("findAll { it.status == 'LOST' }.name"))
                .containsExactly("node-y");

        // control-api hears node-y again (a healed partition): ready again, and empty, since its instance moved
        send(status("node-y", NodeLiveness.READY));
        Await.untilAsserted(Duration.ofSeconds(30), "node-y ready again", () -> given().get("/v1/scheduler/nodes")
                .then()
                .body("find { it.name == 'node-y' }.status", equalTo("READY"))
                .body("find { it.name == 'node-y' }.used.memoryMiB", equalTo(0)));
    }

    @Test
    @Order(10)
    void two_consumers_in_one_group_sharing_the_database_never_overbook_a_node() throws Exception {
        for (int i = 1; i <= 3; i++) {
            register("node-r" + i, 64000, 8192);
        }
        Await.until(Duration.ofSeconds(30), "node-r1..3 registered",
                () -> given().get("/v1/scheduler/nodes").jsonPath().getList("name").containsAll(
                        List.of("node-r1", "node-r2", "node-r3")));
        AtomicInteger secondHandled = new AtomicInteger();
        EventHandler counting = event -> {
            handler.handle(event);
            if (event.data() instanceof DeploymentCreated) {
                secondHandled.incrementAndGet();
            }
        };
        try (EventConsumer second = new EventConsumer("scheduler-it-second",
                () -> KafkaClients.consumer(bootstrap, "scheduler"), List.of(Topics.DEPLOYMENTS, Topics.NODES),
                counting, new DeadLetters(producer, "scheduler"), ConsumerSettings.defaults());
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            second.start();
            Await.until(Duration.ofSeconds(60), "two members of group scheduler, each with partitions", () -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("scheduler"))
                        .describedGroups()
                        .get("scheduler")
                        .get();
                return group.members().size() == 2
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });

            // 40 VMs of 1064 MiB charged for about 30 that fit: both consumers compete for the same nodes
            List<Event<DeploymentCreated>> burst = IntStream.range(0, 40)
                    .mapToObj(i -> deployment("tenant-o" + i, TenantTrust.UNTRUSTED, Isolation.HARDWARE, 1, 100, 1000))
                    .toList();
            burst.forEach(this::send);
            Set<UUID> ids = burst.stream().map(e -> instanceIds(e).getFirst()).collect(Collectors.toSet());
            Await.until(Duration.ofSeconds(60), "an outcome for each of the 40 replicas", () -> {
                instances.poll();
                return instances.matching(InstancePlaced.class, p -> ids.contains(p.instanceId())).size()
                        + instances.matching(InstanceUnschedulable.class, u -> ids.contains(u.instanceId()))
                                .size() == ids.size();
            });
            assertThat(secondHandled.get()).as("deployments the second consumer handled").isBetween(1, 39);
        }

        // every node's used capacity is exactly what its placements were charged, and within what it has
        Map<String, long[]> charged = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("""
                SELECT p.nodeName, sum(p.chargedCpuMillis), sum(p.chargedMemoryMiB) FROM PlacementEntity p
                WHERE p.nodeName IS NOT NULL GROUP BY p.nodeName""", Object[].class)
                .getResultList()
                .forEach(r -> charged.put((String) r[0], new long[]{((Number) r[1]).longValue(),
                        ((Number) r[2]).longValue()})));
        JsonPath nodes = given().get("/v1/scheduler/nodes").then().extract().jsonPath();
        for (String name : nodes.<String>getList("name")) {
            long[] sum = charged.getOrDefault(name, new long[2]);
            String node = "find { it.name == '" + name + "' }";
            assertThat(nodes.getLong(node + ".used.cpuMillis")).as("cpu of " + name).isEqualTo(sum[0])
                    .isLessThanOrEqualTo(nodes.getLong(node + ".allocatable.cpuMillis"));
            assertThat(nodes.getLong(node + ".used.memoryMiB")).as("memory of " + name).isEqualTo(sum[1])
                    .isLessThanOrEqualTo(nodes.getLong(node + ".allocatable.memoryMiB"));
        }
    }

    // Steps 11-14 use nodes with far more CPU than any earlier node and 1 GiB of memory: the replicas below need
    // 100,000 mCPU (only these nodes have it) and the earlier steps' pending VMs need more memory than they have, so
    // nothing else lands on them.
    private static final int BIG_CPU = 100000;
    private Event<DeploymentCreated> scaledDeployment;
    private List<UUID> scaledInstances;
    private UUID waitingInstance;

    @Test
    @Order(11)
    void scaling_up_places_the_added_replicas() {
        register("node-s1", 3 * BIG_CPU, 1024);
        awaitStatus("node-s1", "READY");
        scaledDeployment = deployment("tenant-s", TenantTrust.UNTRUSTED, Isolation.HARDWARE, 1, BIG_CPU, 100);
        send(scaledDeployment);
        instances.await(InstancePlaced.class, p -> p.deploymentId().equals(scaledDeployment.data().deploymentId()),
                1);

        List<DeploymentCreated.Replica> added = List.of(new DeploymentCreated.Replica(UUID.randomUUID(), 1),
                new DeploymentCreated.Replica(UUID.randomUUID(), 2));
        send(scale(scaledDeployment, 3, added, List.of()));

        List<UUID> addedIds = added.stream().map(DeploymentCreated.Replica::instanceId).toList();
        List<InstancePlaced> placed = instances.await(InstancePlaced.class, p -> addedIds.contains(p.instanceId()),
                2);
        assertThat(placed).extracting(InstancePlaced::nodeName).containsOnly("node-s1");
        assertThat(placed).extracting(InstancePlaced::deploymentId)
                .containsOnly(scaledDeployment.data().deploymentId());
        scaledInstances = new ArrayList<>(instanceIds(scaledDeployment));
        scaledInstances.addAll(addedIds);
        given().get("/v1/scheduler/nodes")
                .then()
                .body("find { it.name == 'node-s1' }.used.cpuMillis", equalTo(3 * BIG_CPU))
                .body("find { it.name == 'node-s1' }.instances", equalTo(3));
    }

    @Test
    @Order(12)
    void scaling_down_frees_capacity_that_a_pending_replica_of_another_deployment_takes() {
        Event<DeploymentCreated> other = deployment("tenant-t", TenantTrust.UNTRUSTED, Isolation.HARDWARE, 1,
                BIG_CPU, 100);
        waitingInstance = instanceIds(other).getFirst();
        send(other);
        InstanceUnschedulable refused = instances
                .await(InstanceUnschedulable.class, u -> u.instanceId().equals(waitingInstance), 1)
                .getFirst();
        assertThat(refused.reason()).contains("insufficient cpu");

        UUID removed = scaledInstances.removeLast();
        send(scale(scaledDeployment, 2, List.of(), List.of(removed)));

        InstancePlaced placed = instances.await(InstancePlaced.class, p -> p.instanceId().equals(waitingInstance), 1)
                .getFirst();
        assertThat(placed.nodeName()).isEqualTo("node-s1");
        given().get("/v1/scheduler/nodes")
                .then()
                .body("find { it.name == 'node-s1' }.used.cpuMillis", equalTo(3 * BIG_CPU))
                .body("find { it.name == 'node-s1' }.instances", equalTo(3));
    }

    @Test
    @Order(13)
    void a_cordoned_node_takes_no_new_replica_until_it_is_uncordoned() {
        register("node-c", 3 * BIG_CPU, 1024);
        awaitStatus("node-c", "READY");
        send(scheduling("node-c", NodeScheduling.CORDONED));
        awaitStatus("node-c", "CORDONED");

        // 250,000 mCPU: only an empty node-c could take it, and afterwards it has room for no BIG_CPU replica
        Event<DeploymentCreated> deployment = deployment("tenant-u", TenantTrust.UNTRUSTED, Isolation.HARDWARE, 1,
                5 * BIG_CPU / 2, 100);
        UUID id = instanceIds(deployment).getFirst();
        send(deployment);
        InstanceUnschedulable refused = instances
                .await(InstanceUnschedulable.class, u -> u.instanceId().equals(id), 1)
                .getFirst();
        assertThat(refused.reason()).contains("1 node cordoned");

        send(scheduling("node-c", NodeScheduling.SCHEDULABLE));

        InstancePlaced placed = instances.await(InstancePlaced.class, p -> p.instanceId().equals(id), 1).getFirst();
        assertThat(placed.nodeName()).isEqualTo("node-c");
        awaitStatus("node-c", "READY");
    }

    @Test
    @Order(14)
    void draining_a_node_places_its_instances_on_another_node() {
        register("node-d", 3 * BIG_CPU, 1024);
        awaitStatus("node-d", "READY");
        // node-s1 runs two replicas of the scaled deployment and the one that waited; node-c has room for none
        List<UUID> onS1 = new ArrayList<>(scaledInstances);
        onS1.add(waitingInstance);

        send(scheduling("node-s1", NodeScheduling.DRAINING));

        for (UUID id : onS1) {
            List<InstancePlaced> placements = instances.await(InstancePlaced.class, p -> p.instanceId().equals(id),
                    2);
            assertThat(placements).extracting(InstancePlaced::nodeName).containsExactly("node-s1", "node-d");
        }
        Await.untilAsserted(Duration.ofSeconds(30), "node-s1 drained", () -> given().get("/v1/scheduler/nodes")
                .then()
                .body("find { it.name == 'node-s1' }.status", equalTo("DRAINING"))
                .body("find { it.name == 'node-s1' }.used.cpuMillis", equalTo(0))
                .body("find { it.name == 'node-s1' }.instances", equalTo(0))
                .body("find { it.name == 'node-d' }.used.cpuMillis", equalTo(3 * BIG_CPU))
                .body("find { it.name == 'node-d' }.instances", equalTo(3)));
    }

    private Event<DeploymentCreated> failingDeployment;

    @Test
    @Order(15)
    void a_node_filled_with_failed_replicas_still_takes_a_new_vm() {
        // only node-f may take anything from here on
        given().get("/v1/scheduler/nodes").jsonPath().<String>getList("name")
                .forEach(n -> send(scheduling(n, NodeScheduling.CORDONED)));
        register("node-f", 1000, 2048);
        awaitStatus("node-f", "READY");
        Await.until(Duration.ofSeconds(30), "every other node cordoned", () -> given().get("/v1/scheduler/nodes")
                .jsonPath().<String>getList("findAll { it.name != 'node-f' }.status").stream()
                .allMatch("CORDONED"::equals));
        failingDeployment = deployment("tenant-f", TenantTrust.UNTRUSTED, Isolation.HARDWARE, 2, 400, 128);
        send(failingDeployment);
        instances.await(InstancePlaced.class,
                p -> p.deploymentId().equals(failingDeployment.data().deploymentId()) && p.nodeName().equals("node-f"),
                2);
        List<UUID> failed = instanceIds(failingDeployment);
        send(stateOf(failingDeployment, failed.get(0), "node-f", InstanceState.FAILED));
        send(stateOf(failingDeployment, failed.get(1), "node-f", InstanceState.EXITED));

        Event<DeploymentCreated> next = deployment("tenant-f", TenantTrust.UNTRUSTED, Isolation.HARDWARE, 1, 900, 128);
        send(next);

        InstancePlaced placed = instances
                .await(InstancePlaced.class, p -> p.deploymentId().equals(next.data().deploymentId()), 1)
                .getFirst();
        assertThat(placed.nodeName()).isEqualTo("node-f");
        Await.untilAsserted(Duration.ofSeconds(30), "node-f charged for the running VM only", () -> given()
                .get("/v1/scheduler/nodes")
                .then()
                .body("find { it.name == 'node-f' }.used.cpuMillis", equalTo(900))
                .body("find { it.name == 'node-f' }.instances", equalTo(1)));

        // restarted by hand on the node: charged again, even past what the node offers, since it runs there
        send(stateOf(failingDeployment, failed.get(0), "node-f", InstanceState.RUNNING));
        Await.untilAsserted(Duration.ofSeconds(30), "the restarted replica charged again", () -> given()
                .get("/v1/scheduler/nodes")
                .then()
                .body("find { it.name == 'node-f' }.used.cpuMillis", equalTo(1300))
                .body("find { it.name == 'node-f' }.instances", equalTo(2)));
    }

    @Test
    @Order(16)
    void a_scheduler_that_hears_nothing_from_the_nodes_for_hours_moves_nothing() {
        // no heartbeats arrive here any more: control-api alone decides liveness, so silence is not loss
        clock.advance(Duration.ofHours(3));
        Event<DeploymentCreated> marker = deployment("tenant-f", TenantTrust.UNTRUSTED, Isolation.HARDWARE, 1, 5000,
                128);
        send(marker);
        instances.await(InstanceUnschedulable.class, u -> u.deploymentId().equals(marker.data().deploymentId()), 1);
        // a negative can only be watched for a while: ten times what the former lost-node check's interval was
        Instant watchedUntil = Instant.now().plusSeconds(2);
        Set<String> lost = new java.util.TreeSet<>();
        Await.until(Duration.ofSeconds(30), "two seconds watched", () -> {
            lost.addAll(given().get("/v1/scheduler/nodes").jsonPath().getList("findAll { it.status == 'LOST' }.name"));
            return Instant.now().isAfter(watchedUntil);
        });

        assertThat(lost).isEmpty();
        JsonPath nodes = given().get("/v1/scheduler/nodes").then().statusCode(200).extract().jsonPath();
        assertThat(nodes.getInt("find { it.name == 'node-f' }.instances")).isEqualTo(2);
        assertThat(instances.matching(InstancePlaced.class,
                p -> p.deploymentId().equals(failingDeployment.data().deploymentId()))).hasSize(2);
    }

    @Test
    @Order(17)
    void a_node_back_from_lost_gets_the_replicas_that_waited_for_it() {
        UUID restarted = instanceIds(failingDeployment).getFirst();
        send(status("node-f", NodeLiveness.LOST));
        // nowhere else to go: every other node is cordoned
        instances.await(InstanceUnschedulable.class, u -> u.instanceId().equals(restarted), 1);
        awaitStatus("node-f", "LOST");

        send(status("node-f", NodeLiveness.READY));

        List<InstancePlaced> placements = instances.await(InstancePlaced.class, p -> p.instanceId().equals(restarted),
                2);
        assertThat(placements).extracting(InstancePlaced::nodeName).containsExactly("node-f", "node-f");
        awaitStatus("node-f", "READY");
    }

    @Test
    @Order(18)
    void a_removed_node_is_forgotten_and_may_enroll_again_as_a_new_node() {
        UUID restarted = instanceIds(failingDeployment).getFirst();
        int before = given().get("/v1/scheduler/nodes").jsonPath().getList("name").size();

        // not lost first (control-api sends LOST before node.removed; the rule must not depend on it), and one of its
        // replicas ended there, so a placement row still names it
        send(Event.of("/it", clock.instant(), null, "node-f", new NodeRemoved("node-f", "removed by the test")));

        Await.until(Duration.ofSeconds(30), "node-f forgotten",
                () -> !given().get("/v1/scheduler/nodes").jsonPath().getList("name").contains("node-f"));
        assertThat(given().get("/v1/scheduler/nodes").jsonPath().getList("name")).hasSize(before - 1);
        InstanceUnschedulable waiting = instances.await(InstanceUnschedulable.class,
                u -> u.instanceId().equals(restarted), 2).get(1);
        assertThat(waiting.reason()).as("the removed node is no longer counted")
                .startsWith("0/" + (before - 1) + " nodes available").doesNotContain("lost");

        register("node-f", 1000, 2048);

        awaitStatus("node-f", "READY");
        assertThat(instances.await(InstancePlaced.class, p -> p.instanceId().equals(restarted), 3).get(2).nodeName())
                .isEqualTo("node-f");
    }

    private Event<NodeStatusChanged> status(String node, NodeLiveness liveness) {
        return Event.of("/it", clock.instant(), null, node,
                new NodeStatusChanged(node, liveness, clock.instant(), "decided by the test"));
    }

    private static Event<InstanceStateChanged> stateOf(Event<DeploymentCreated> deployment, UUID instance, String node,
            InstanceState state) {
        DeploymentCreated d = deployment.data();
        return Event.of("/it", Instant.now(), d.tenant(), instance.toString(), new InstanceStateChanged(instance,
                d.deploymentId(), node, state, state == InstanceState.RUNNING ? null : "by the test",
                state == InstanceState.EXITED ? 3 : null, d.isolation(), d.resources()));
    }

    private void awaitStatus(String node, String status) {
        Await.until(Duration.ofSeconds(30), node + " " + status,
                () -> status.equals(given().get("/v1/scheduler/nodes")
                        .jsonPath()
                        .getString("find { it.name == '" + node + "' }.status")));
    }

    private Event<NodeSchedulingChanged> scheduling(String node, NodeScheduling scheduling) {
        return Event.of("/it", clock.instant(), null, node, new NodeSchedulingChanged(node, scheduling));
    }

    private static Event<DeploymentScaled> scale(Event<DeploymentCreated> deployment, int replicas,
            List<DeploymentCreated.Replica> added, List<UUID> removed) {
        DeploymentCreated d = deployment.data();
        return Event.of("/it", Instant.now(), d.tenant(), deployment.subject(), new DeploymentScaled(d.deploymentId(),
                d.tenant(), d.tenantTrust(), d.resources(), d.isolation(), replicas, added, removed));
    }

    private void register(String node, int cpuMillis, int memoryMiB) {
        // the service's clock: after the lost-node step it runs ahead of real time
        send(Event.of("/it", clock.instant(), null, node,
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
                        new Resources(cpuMillis, memoryMiB), isolation, replicaList));
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
