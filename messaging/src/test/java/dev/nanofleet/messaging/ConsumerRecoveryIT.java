package dev.nanofleet.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.NodeHeartbeat;
import dev.nanofleet.events.Topics;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A consumer evicted from its group for staying away from poll longer than max.poll.interval.ms reports itself down
 * and comes back by itself with a new Kafka consumer.
 */
class ConsumerRecoveryIT {

    private static final ConsumerSettings SHORT_POLL_INTERVAL = new ConsumerSettings(5, Duration.ofMillis(100),
            Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500));

    private static KafkaBroker kafka;
    private static PGSimpleDataSource dataSource;
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        kafka = KafkaBroker.shared();
        dataSource = MessagingDatabase.create("messaging_recovery_it");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void an_evicted_consumer_reports_down_then_recovers_and_handles_the_events_once_its_handler_behaves()
            throws Exception {
        String group = "recovery-" + UUID.randomUUID();
        Event<NodeHeartbeat> slowOne = heartbeat();
        Event<NodeHeartbeat> later = heartbeat();
        AtomicBoolean slow = new AtomicBoolean(true);
        List<Event<?>> handledWhileBehaving = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ServiceMessaging messaging = ServiceMessaging.start(dataSource,
                new ServiceMessaging.Settings(kafka.bootstrapServers(), "recovery-it", 3, (short) 1,
                        Duration.ofSeconds(1), group, List.of(Topics.NODES), SHORT_POLL_INTERVAL),
                e -> {
                    if (e.id().equals(slowOne.id()) && slow.get()) {
                        // away from poll until the group has evicted this consumer (past max.poll.interval.ms)
                        KafkaBroker.awaitGroupWithoutMembers(kafka.bootstrapServers(), group, Duration.ofSeconds(30));
                        return;
                    }
                    if (!slow.get()) {
                        handledWhileBehaving.add(e);
                    }
                }, registry);
        toClose.add(messaging);

        try (Producer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), "recovery-it")) {
            producer.send(new ProducerRecord<>(Topics.NODES, "recovery", EventCodec.encode(slowOne))).get();
            Await.until(Duration.ofSeconds(30), "health down while the handler hangs", () -> !messaging.health().up());
            Await.until(Duration.ofSeconds(30), "the evicted consumer replaced",
                    () -> messaging.health().restarts() >= 1);
            slow.set(false);
            producer.send(new ProducerRecord<>(Topics.NODES, "recovery", EventCodec.encode(later))).get();
        }

        Await.until(Duration.ofSeconds(60), "both events handled after the handler behaves",
                () -> handledWhileBehaving.containsAll(List.of(slowOne, later)));
        Await.until(Duration.ofSeconds(30), "health up again", () -> messaging.health().up());
        assertThat(registry.get("nanofleet.messaging.consumer.restarts").functionCounter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(registry.get("nanofleet.messaging.consumer.up").gauge().value()).isEqualTo(1);
    }

    private static Event<NodeHeartbeat> heartbeat() {
        String node = "node-" + UUID.randomUUID();
        return Event.of("recovery-it", Instant.now(), null, node, new NodeHeartbeat(node));
    }
}
