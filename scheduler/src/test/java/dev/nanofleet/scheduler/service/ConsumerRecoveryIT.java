package dev.nanofleet.scheduler.service;

import static io.restassured.RestAssured.given;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.Resources;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaBroker;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's consumer, evicted from its group because its handler stayed away from poll past
 * max.poll.interval.ms, makes readiness DOWN, is replaced by a new consumer, and readiness is UP again with the events
 * applied once the handler behaves.
 */
@QuarkusTest
@TestProfile(ConsumerRecoveryIT.ShortPollInterval.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "scheduler_recovery_it"))
@QuarkusTestResource(value = OwnKafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KeycloakTestResource.class, restrictToAnnotatedClass = true)
class ConsumerRecoveryIT {

    static final AtomicBoolean SLOW = new AtomicBoolean(true);
    static final String GROUP = "scheduler-recovery-it";

    /** A 3 s poll interval and its own consumer group, with the handler below in place of the real one. */
    public static class ShortPollInterval implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nanofleet.scheduler.messaging.consumer-group", GROUP,
                    "nanofleet.scheduler.messaging.max-poll-interval", "PT3S",
                    "nanofleet.scheduler.messaging.consumer-stuck-after", "PT2S");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SlowHandler.class);
        }
    }

    /**
     * The real handler, but one that hangs on node-slow while {@link #SLOW} is set. It intercepts the method the
     * consumer calls for a single record (with the record's timestamp); node-slow is sent alone, so it never arrives in
     * a batch.
     */
    @Alternative
    @Priority(2)
    @ApplicationScoped
    public static class SlowHandler extends SchedulerEventHandler {
        @Override
        public void handle(Event<?> event, Instant publishedAt) {
            if (SLOW.get() && event.data() instanceof NodeRegistered node && node.nodeName().equals("node-slow")) {
                // away from poll until the group has evicted this consumer (past max.poll.interval.ms)
                KafkaBroker.awaitGroupWithoutMembers(
                        ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class), GROUP,
                        Duration.ofSeconds(30));
                return;
            }
            super.handle(event, publishedAt);
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    @Test
    void an_evicted_consumer_makes_readiness_down_then_recovers_and_applies_the_events_once_its_handler_behaves() {
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, "scheduler-recovery-it")) {
            send(producer, register("node-slow"));
            Await.until(Duration.ofSeconds(30), "readiness down while the handler hangs",
                    () -> given().get("/q/health/ready").statusCode() == 503);
            Await.until(Duration.ofSeconds(30), "the evicted consumer replaced", () -> {
                JsonPath health = given().get("/q/health/ready").jsonPath();
                return health.getInt("checks.find { it.name == 'scheduler-messaging' }.data.restarts") >= 1;
            });
            SLOW.set(false);
            send(producer, register("node-after"));
        }

        Await.until(Duration.ofSeconds(60), "both nodes known to the scheduler", () -> QuarkusTransaction
                .requiringNew()
                .call(() -> em.find(NodeEntity.class, "node-slow") != null
                        && em.find(NodeEntity.class, "node-after") != null));
        Await.until(Duration.ofSeconds(30), "readiness up again",
                () -> given().get("/q/health/ready").statusCode() == 200);
    }

    private Event<NodeRegistered> register(String node) {
        return Event.of("/it", clock.instant(), null, node, new NodeRegistered(node, new Resources(4000, 8192),
                Set.of(Isolation.HARDWARE, Isolation.SHARED), Map.of("zone", "it")));
    }

    private static void send(Producer<String, byte[]> producer, Event<?> event) {
        try {
            producer.send(new ProducerRecord<>(event.topic(), event.partitionKey(), EventCodec.encode(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + event.type().typeName(), e);
        }
    }
}
