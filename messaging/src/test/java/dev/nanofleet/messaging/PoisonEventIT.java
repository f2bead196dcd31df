package dev.nanofleet.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.NodeHeartbeat;
import dev.nanofleet.events.Topics;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An event its handler always fails on goes to the group's dead-letter topic and the partition moves on. */
class PoisonEventIT {

    private static KafkaBroker kafka;
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.shared();
        KafkaClients.ensureTopics(kafka.bootstrapServers(), 3, (short) 1);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void a_poison_event_is_dead_lettered_with_its_reason_after_bounded_retries_and_the_next_event_is_handled()
            throws Exception {
        String group = "poison-" + UUID.randomUUID();
        Event<NodeHeartbeat> poison = heartbeat();
        Event<NodeHeartbeat> next = heartbeat();
        AtomicInteger attempts = new AtomicInteger();
        List<Event<?>> handled = new CopyOnWriteArrayList<>();
        KafkaClients.ensureTopics(kafka.bootstrapServers(), List.of(DeadLetters.topicFor(group)), 1, (short) 1);
        Producer<String, byte[]> deadLetterProducer = KafkaClients.producer(kafka.bootstrapServers(), "poison-it-dlq");
        toClose.add(deadLetterProducer);
        EventConsumer consumer = new EventConsumer(group, () -> KafkaClients.consumer(kafka.bootstrapServers(), group),
                List.of(Topics.NODES), e -> {
                    if (e.id().equals(poison.id())) {
                        attempts.incrementAndGet();
                        throw new IllegalArgumentException("no such deployment");
                    }
                    handled.add(e);
                }, new DeadLetters(deadLetterProducer, group), ConsumerSettings.defaults());
        consumer.start();
        toClose.add(0, consumer);

        try (Producer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), "poison-it")) {
            producer.send(new ProducerRecord<>(Topics.NODES, "poison", EventCodec.encode(poison))).get();
            producer.send(new ProducerRecord<>(Topics.NODES, "poison", EventCodec.encode(next))).get();
        }

        Await.until(Duration.ofSeconds(30), "the event after the poison handled", () -> handled.contains(next));
        assertThat(attempts).hasValue(5);
        ConsumerRecord<String, byte[]> dead = deadLetter(group);
        assertThat(EventCodec.decode(dead.value())).contains(poison);
        assertThat(dead.key()).isEqualTo("poison");
        Map<String, String> headers = headers(dead);
        assertThat(headers).containsEntry(DeadLetters.TOPIC, Topics.NODES)
                .containsKeys(DeadLetters.PARTITION, DeadLetters.OFFSET);
        assertThat(headers.get(DeadLetters.REASON)).contains("no such deployment");
    }

    @Test
    void a_batch_with_a_poison_event_falls_back_to_one_at_a_time_and_only_the_poison_is_dead_lettered()
            throws Exception {
        String group = "batch-poison-" + UUID.randomUUID();
        Event<NodeHeartbeat> poison = heartbeat();
        List<Event<NodeHeartbeat>> good = List.of(heartbeat(), heartbeat(), heartbeat());
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        List<Event<?>> handled = new CopyOnWriteArrayList<>();
        BatchEventHandler batches = new BatchEventHandler() {
            @Override
            public void handleAll(List<Delivery> deliveries) {
                batchSizes.add(deliveries.size());
                if (deliveries.stream().anyMatch(d -> d.event().id().equals(poison.id()))) {
                    throw new IllegalArgumentException("no such deployment"); // all or nothing: none applied
                }
                deliveries.forEach(d -> handled.add(d.event()));
            }

            @Override
            public void handle(Event<?> event) {
                if (event.id().equals(poison.id())) {
                    throw new IllegalArgumentException("no such deployment");
                }
                handled.add(event);
            }
        };
        KafkaClients.ensureTopics(kafka.bootstrapServers(), List.of(DeadLetters.topicFor(group)), 1, (short) 1);
        Producer<String, byte[]> deadLetterProducer = KafkaClients.producer(kafka.bootstrapServers(), "batch-dlq");
        toClose.add(deadLetterProducer);
        // every record is sent before the consumer starts, so its first poll brings them together
        try (Producer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), "batch-it")) {
            for (Event<NodeHeartbeat> event : List.of(good.get(0), poison, good.get(1), good.get(2))) {
                producer.send(new ProducerRecord<>(Topics.NODES, group, EventCodec.encode(event))).get();
            }
        }
        EventConsumer consumer = new EventConsumer(group, () -> KafkaClients.consumer(kafka.bootstrapServers(), group),
                List.of(Topics.NODES), batches, new DeadLetters(deadLetterProducer, group),
                ConsumerSettings.defaults());
        consumer.start();
        toClose.add(0, consumer);

        ConsumerRecord<String, byte[]> dead = deadLetter(group);
        assertThat(EventCodec.decode(dead.value())).contains(poison);
        Await.until(Duration.ofSeconds(30), "the good events handled", () -> handled.containsAll(good));
        assertThat(handled.stream().filter(good::contains)).as("each good event once").hasSize(3);
        assertThat(batchSizes).as("the whole poll was offered at once first").isNotEmpty()
                .allSatisfy(size -> assertThat(size).isGreaterThan(1));
    }

    @Test
    void an_event_failing_because_the_database_is_unreachable_is_retried_until_it_applies_never_dead_lettered()
            throws Exception {
        String group = "db-down-" + UUID.randomUUID();
        Event<NodeHeartbeat> event = heartbeat();
        AtomicInteger attempts = new AtomicInteger();
        List<Event<?>> handled = new CopyOnWriteArrayList<>();
        KafkaClients.ensureTopics(kafka.bootstrapServers(), List.of(DeadLetters.topicFor(group)), 1, (short) 1);
        Producer<String, byte[]> deadLetterProducer = KafkaClients.producer(kafka.bootstrapServers(), "db-down-dlq");
        toClose.add(deadLetterProducer);
        EventConsumer consumer = new EventConsumer(group, () -> KafkaClients.consumer(kafka.bootstrapServers(), group),
                List.of(Topics.NODES), e -> {
                    if (e.id().equals(event.id()) && attempts.incrementAndGet() <= 8) {
                        // what the PostgreSQL driver throws while the server is down, wrapped as an ORM would
                        throw new IllegalStateException("could not open a connection",
                                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
                    }
                    handled.add(e);
                }, new DeadLetters(deadLetterProducer, group), ConsumerSettings.defaults());
        consumer.start();
        toClose.add(0, consumer);

        try (Producer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), "db-down-it")) {
            producer.send(new ProducerRecord<>(Topics.NODES, "db-down", EventCodec.encode(event))).get();
        }

        Await.until(Duration.ofSeconds(60), "the event applied once the database answers",
                () -> handled.contains(event));
        assertThat(attempts).hasValue(9);
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String group) {
        try (Consumer<String, byte[]> reader = KafkaClients.consumer(kafka.bootstrapServers(), "reader-" + group)) {
            reader.subscribe(List.of("nanofleet.dlq." + group + ".v1"));
            return Await.value(Duration.ofSeconds(30), "a record on the dead-letter topic", () -> {
                var records = reader.poll(Duration.ofMillis(500));
                return records.isEmpty() ? null : records.iterator().next();
            });
        }
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static Event<NodeHeartbeat> heartbeat() {
        String node = "node-" + UUID.randomUUID();
        return Event.of("poison-it", Instant.now(), null, node, new NodeHeartbeat(node));
    }
}
