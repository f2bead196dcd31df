package dev.nanofleet.controlapi.it;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.EventPayload;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plays the scheduler for control-api's ITs: writes placement events to Kafka the way its outbox relay would, and
 * waits until control-api's consumer applied them.
 */
final class SchedulerStandIn {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private SchedulerStandIn() {
    }

    static <T extends EventPayload> Event<T> event(String tenant, String subject, T payload) {
        return Event.of("scheduler-it", Instant.now(), tenant, subject, payload);
    }

    /** Publishes the payload as the scheduler would and returns its event, to wait on. */
    static <T extends EventPayload> Event<T> publish(String tenant, String subject, T payload) {
        return publish(event(tenant, subject, payload));
    }

    static <T extends EventPayload> Event<T> publish(Event<T> event) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, "scheduler-it")) {
            producer.send(new ProducerRecord<>(event.topic(), event.partitionKey(), EventCodec.encode(event))).get();
        } catch (Exception e) {
            throw new AssertionError("cannot publish " + event, e);
        }
        return event;
    }

    /**
     * Waits until control-api's consumer has applied (or deliberately ignored) the event: its id and its effect commit
     * in one transaction, so once the id is stored the effect, if any, is visible.
     */
    static void awaitProcessed(AgroalDataSource dataSource, Event<?> event) {
        Await.until(DEADLINE, "control-api processed event " + event.id() + " " + event.data(), () -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement q = c.prepareStatement(
                            "SELECT 1 FROM processed_event WHERE consumer = 'control-api' AND event_id = ?")) {
                q.setObject(1, event.id());
                try (ResultSet rows = q.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }
}
