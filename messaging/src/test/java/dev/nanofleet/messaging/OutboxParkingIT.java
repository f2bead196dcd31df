package dev.nanofleet.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.NodeHeartbeat;
import dev.nanofleet.events.Topics;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaBroker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** An outbox row Kafka will never take is set aside, and the rows after it are published. */
class OutboxParkingIT {

    private static KafkaBroker kafka;
    private static PGSimpleDataSource dataSource;
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        kafka = KafkaBroker.shared();
        dataSource = MessagingDatabase.create("messaging_parking_it");
        KafkaClients.ensureTopics(kafka.bootstrapServers(), 3, (short) 1);
    }

    @BeforeEach
    void emptyTables() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM outbox_event; DELETE FROM outbox_parked");
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void a_row_over_the_message_limit_is_set_aside_and_the_row_after_it_is_published() throws Exception {
        String node = "node-" + UUID.randomUUID();
        Event<NodeHeartbeat> tooLarge = Event.of("parking-it", Instant.now(), null, node,
                new NodeHeartbeat(node + "x".repeat(2 * 1024 * 1024)));
        Event<NodeHeartbeat> normal = Event.of("parking-it", Instant.now(), null, node, new NodeHeartbeat(node));
        Outbox outbox = new Outbox(dataSource, () -> {
        });
        outbox.append(tooLarge);
        outbox.append(normal);
        List<Event<?>> received = new CopyOnWriteArrayList<>();
        String group = "parking-" + UUID.randomUUID();
        Producer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), "parking-it");
        EventConsumer consumer = new EventConsumer(group, () -> KafkaClients.consumer(kafka.bootstrapServers(), group),
                List.of(Topics.NODES), received::add, new DeadLetters(producer, group), ConsumerSettings.defaults());
        consumer.start();
        toClose.add(consumer);
        OutboxRelay relay = new OutboxRelay(dataSource, producer, Duration.ofMillis(200));
        toClose.add(0, producer);
        toClose.add(0, relay);
        relay.start();

        Await.until(Duration.ofSeconds(60), "the outbox emptied", () -> count("outbox_event", null) == 0);
        Await.until(Duration.ofSeconds(30), "the row after the over-limit one published",
                () -> received.contains(normal));
        assertThat(count("outbox_parked", tooLarge.id())).isEqualTo(1);
        assertThat(count("outbox_parked", normal.id())).isZero();
    }

    @Test
    void a_row_kafka_keeps_refusing_while_it_takes_others_is_set_aside_after_five_attempts() throws Exception {
        Event<NodeHeartbeat> refused = heartbeat("node-refused-" + UUID.randomUUID());
        Outbox outbox = new Outbox(dataSource, () -> {
        });
        outbox.append(refused);
        OutboxRelay relay = new OutboxRelay(dataSource, new RefusingProducer(refused.partitionKey()::equals),
                Duration.ofMillis(200));

        for (int attempt = 1; attempt < 5; attempt++) {
            outbox.append(heartbeat("node-" + UUID.randomUUID()));
            assertThatThrownBy(relay::relayBatch).isInstanceOf(MessagingException.class);
            assertThat(count("outbox_parked", refused.id())).as("parked after attempt " + attempt).isZero();
        }
        outbox.append(heartbeat("node-" + UUID.randomUUID()));

        assertThat(relay.relayBatch()).isEqualTo(1);
        assertThat(count("outbox_parked", refused.id())).isEqualTo(1);
        assertThat(count("outbox_event", null)).isZero();
        assertThat(relay.parked()).isEqualTo(1);
        assertThat(relay.parkedRows()).isEqualTo(1);
    }

    @Test
    void nothing_is_set_aside_while_kafka_refuses_every_row() throws Exception {
        Outbox outbox = new Outbox(dataSource, () -> {
        });
        for (int i = 0; i < 3; i++) {
            outbox.append(heartbeat("node-" + UUID.randomUUID()));
        }
        OutboxRelay relay = new OutboxRelay(dataSource, new RefusingProducer(key -> true), Duration.ofMillis(200));

        for (int attempt = 1; attempt <= 10; attempt++) {
            assertThatThrownBy(relay::relayBatch).isInstanceOf(MessagingException.class);
        }

        assertThat(count("outbox_event", null)).isEqualTo(3);
        assertThat(count("outbox_parked", null)).isZero();
    }

    private static Event<NodeHeartbeat> heartbeat(String node) {
        return Event.of("parking-it", Instant.now(), null, node, new NodeHeartbeat(node));
    }

    /** Takes every record, except those whose key it refuses with an error Kafka calls retriable. */
    private static final class RefusingProducer extends MockProducer<String, byte[]> {

        private final Predicate<String> refuses;

        RefusingProducer(Predicate<String> refuses) {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
            this.refuses = refuses;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
            if (refuses.test(record.key())) {
                return CompletableFuture.failedFuture(new NotEnoughReplicasException("not enough in-sync replicas"));
            }
            return super.send(record);
        }
    }

    private static int count(String table, UUID id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM " + table + (id == null ? "" : " WHERE id = ?"))) {
            if (id != null) {
                s.setObject(1, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
