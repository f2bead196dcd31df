package dev.nanofleet.scheduler.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.DeadLetters;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A deployment event the scheduler can never apply (PostgreSQL refuses its NUL) goes to the dead-letter topic after
 * bounded retries, and the events behind it in its partition, other deployments and node events, are still applied.
 */
@QuarkusTest
@TestProfile(PoisonEventIT.OwnConsumerGroup.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "scheduler_poison_it"))
@QuarkusTestResource(value = OwnKafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KeycloakTestResource.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoisonEventIT {

    static final String GROUP = "scheduler-poison-it";

    /** Its own group, so its dead-letter topic is its own. */
    public static class OwnConsumerGroup implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nanofleet.scheduler.messaging.consumer-group", GROUP);
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    private Producer<String, byte[]> producer;
    private InstanceEvents instances;

    @BeforeAll
    void connect() {
        producer = KafkaClients.producer(bootstrap, "scheduler-poison-it");
        instances = new InstanceEvents(bootstrap);
    }

    @AfterAll
    void disconnect() {
        instances.close();
        producer.close();
    }

    @Test
    void a_poison_deployment_event_is_dead_lettered_and_the_deployments_and_node_events_behind_it_are_applied() {
        send(register("node-poison-1"), "node-poison-1");
        Event<DeploymentCreated> poison = deployment("tenant-\u0000-poison");
        Event<DeploymentCreated> behindIt = deployment("tenant-after-poison");
        String sharedKey = poison.partitionKey(); // same partition: only moving past the poison reaches it
        send(poison, sharedKey);
        send(behindIt, sharedKey);
        send(register("node-poison-2"), "node-poison-2");

        UUID behindItInstance = behindIt.data().replicas().getFirst().instanceId();
        // applied at all, although it is behind the poison in the same partition
        instances.await(InstancePlaced.class, p -> p.instanceId().equals(behindItInstance), 1);
        Await.until(Duration.ofSeconds(30), "the node registered after the poison known",
                () -> QuarkusTransaction.requiringNew()
                        .call(() -> em.find(NodeEntity.class, "node-poison-2") != null));
        ConsumerRecord<String, byte[]> dead = deadLetter();
        assertThat(EventCodec.decode(dead.value())).contains(poison);
        assertThat(new String(dead.headers().lastHeader(DeadLetters.TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.DEPLOYMENTS);
        assertThat(new String(dead.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .contains("handler failed 5 times");
        given().get("/q/health/ready").then().statusCode(200);
    }

    private ConsumerRecord<String, byte[]> deadLetter() {
        try (Consumer<String, byte[]> reader = KafkaClients.consumer(bootstrap, "reader-" + UUID.randomUUID())) {
            reader.subscribe(List.of(DeadLetters.topicFor(GROUP)));
            return Await.value(Duration.ofSeconds(30), "the poison on the dead-letter topic", () -> {
                var records = reader.poll(Duration.ofMillis(500));
                return records.isEmpty() ? null : records.iterator().next();
            });
        }
    }

    private Event<NodeRegistered> register(String node) {
        return Event.of("/it", clock.instant(), null, node, new NodeRegistered(node, new Resources(4000, 8192),
                Set.of(Isolation.HARDWARE, Isolation.SHARED), Map.of("zone", "it")));
    }

    private Event<DeploymentCreated> deployment(String tenant) {
        UUID deploymentId = UUID.randomUUID();
        return Event.of("/it", clock.instant(), tenant, deploymentId.toString(),
                new DeploymentCreated(deploymentId, tenant, TenantTrust.UNTRUSTED, "web", "registry.invalid/app:1",
                        new Resources(100, 128), Isolation.HARDWARE,
                        List.of(new DeploymentCreated.Replica(UUID.randomUUID(), 0))));
    }

    private void send(Event<?> event, String key) {
        try {
            producer.send(new ProducerRecord<>(event.topic(), key, EventCodec.encode(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + event.type().typeName(), e);
        }
    }
}
