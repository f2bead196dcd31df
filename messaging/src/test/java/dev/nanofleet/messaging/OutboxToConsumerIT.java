package dev.nanofleet.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.NodeHeartbeat;
import dev.nanofleet.events.Topics;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The outbox, its relay and the consumer loop against a real PostgreSQL and a real Kafka broker. */
class OutboxToConsumerIT {

    private static KafkaBroker kafka;
    private static PGSimpleDataSource dataSource;

    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        kafka = KafkaBroker.shared();
        dataSource = MessagingDatabase.create("messaging_it");
        KafkaClients.ensureTopics(kafka.bootstrapServers(), 3, (short) 1);
    }

    @BeforeEach
    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
    }

    @Test
    void an_appended_event_reaches_a_consumer_and_leaves_the_outbox() throws Exception {
        Event<NodeHeartbeat> event = heartbeat();
        List<Event<?>> received = new CopyOnWriteArrayList<>();
        consume(UUID.randomUUID().toString(), received::add);
        OutboxRelay relay = relay();
        relay.start();

        new Outbox(dataSource, relay::wake).append(event);

        Await.until(Duration.ofSeconds(30), "the consumer received the event", () -> received.contains(event));
        assertThat(outboxSize()).isZero();
    }

    @Test
    void a_redelivered_event_is_applied_once() throws Exception {
        Event<NodeHeartbeat> event = heartbeat();
        ProcessedEvents processed = new ProcessedEvents(dataSource, "test-" + UUID.randomUUID());
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger seen = new AtomicInteger();
        consume(UUID.randomUUID().toString(), e -> {
            if (e.id().equals(event.id())) {
                seen.incrementAndGet();
                if (processed.firstTime(e.id())) {
                    applied.incrementAndGet();
                }
            }
        });

        Producer<String, byte[]> producer = producer();
        send(producer, EventCodec.encode(event));
        send(producer, EventCodec.encode(event));

        Await.until(Duration.ofSeconds(30), "both deliveries seen", () -> seen.get() == 2);
        assertThat(applied).hasValue(1);
    }

    @Test
    void a_malformed_record_is_passed_over_and_the_next_event_still_arrives() throws Exception {
        Event<NodeHeartbeat> event = heartbeat();
        List<Event<?>> received = new CopyOnWriteArrayList<>();
        consume(UUID.randomUUID().toString(), received::add);

        Producer<String, byte[]> producer = producer();
        send(producer, "this is not an event".getBytes(StandardCharsets.UTF_8));
        send(producer, EventCodec.encode(event));

        Await.until(Duration.ofSeconds(30), "the event after the malformed record", () -> received.contains(event));
    }

    @Test
    void a_failing_handler_gets_the_same_event_again_until_it_succeeds() throws Exception {
        Event<NodeHeartbeat> event = heartbeat();
        AtomicInteger attempts = new AtomicInteger();
        List<Event<?>> applied = new CopyOnWriteArrayList<>();
        consume(UUID.randomUUID().toString(), e -> {
            if (e.id().equals(event.id())) {
                if (attempts.incrementAndGet() < 3) {
                    throw new IllegalStateException("database briefly unreachable");
                }
                applied.add(e);
            }
        });

        send(producer(), EventCodec.encode(event));

        Await.until(Duration.ofSeconds(30), "the event applied after two failures", () -> applied.contains(event));
        assertThat(attempts).hasValue(3);
    }

    @Test
    void nothing_is_published_from_a_transaction_that_rolled_back() throws Exception {
        Event<NodeHeartbeat> event = heartbeat();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            new Outbox(new SingleConnectionDataSource(c), () -> {
            }).append(event);
            c.rollback();
        }

        assertThat(relay().relayBatch()).isZero();
    }

    private Event<NodeHeartbeat> heartbeat() {
        String node = "node-" + UUID.randomUUID();
        return Event.of("messaging-it", Instant.now(), null, node, new NodeHeartbeat(node));
    }

    private OutboxRelay relay() {
        Producer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), "relay-it");
        OutboxRelay relay = new OutboxRelay(dataSource, producer, Duration.ofMillis(200));
        toClose.add(producer);
        toClose.add(0, relay);
        return relay;
    }

    private void consume(String group, EventHandler handler) {
        EventConsumer consumer = new EventConsumer(group, () -> KafkaClients.consumer(kafka.bootstrapServers(), group),
                List.of(Topics.NODES), handler, new DeadLetters(producer(), group), ConsumerSettings.defaults());
        consumer.start();
        toClose.add(consumer);
    }

    private static int outboxSize() throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox_event")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), "raw-it");
        toClose.add(producer);
        return producer;
    }

    private static void send(Producer<String, byte[]> producer, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.NODES, "same-key", value)).get();
    }
}
