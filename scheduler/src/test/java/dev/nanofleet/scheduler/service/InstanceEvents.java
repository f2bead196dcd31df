package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.EventPayload;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Everything the scheduler published on the instances topic, read by a test's own consumer group. */
final class InstanceEvents implements AutoCloseable {

    private final Consumer<String, byte[]> consumer;
    private final List<Event<?>> seen = new ArrayList<>();

    InstanceEvents(String bootstrapServers) {
        consumer = KafkaClients.consumer(bootstrapServers, "scheduler-it-" + UUID.randomUUID());
        consumer.subscribe(List.of(Topics.INSTANCES));
    }

    /** Polls until {@code wanted} matching events were seen, and returns all matching ones. */
    <T extends EventPayload> List<T> await(Class<T> type, Predicate<T> filter, int wanted) {
        return Await.value(Duration.ofSeconds(30), wanted + " " + type.getSimpleName() + " events", () -> {
            poll();
            List<T> matching = matching(type, filter);
            return matching.size() >= wanted ? matching : null;
        });
    }

    <T extends EventPayload> List<T> matching(Class<T> type, Predicate<T> filter) {
        return seen.stream()
                .map(Event::data)
                .filter(type::isInstance)
                .map(type::cast)
                .filter(filter)
                .toList();
    }

    void poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            EventCodec.decode(record.value()).ifPresent(seen::add);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
