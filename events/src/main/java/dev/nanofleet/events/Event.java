package dev.nanofleet.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event in the CloudEvents shape: id, type, schema version, source, time, tenant and subject around a typed payload.
 * Consumers remember {@link #id()} in the same transaction as their effect, so a redelivered event changes nothing.
 *
 * @param tenant the tenant the event concerns, or {@code null} for fleet events (nodes)
 * @param subject the aggregate the event is about, e.g. a deployment or instance id
 * @param actor who caused it through the API ({@code user:<name>} or {@code token:<id>}), or {@code null} when the
 *            platform did (a node's report, the scheduler)
 */
public record Event<T extends EventPayload>(UUID id, String source, Instant time, String tenant, String subject,
        String actor, T data) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(data, "data");
    }

    /** A new event with a random id. */
    public static <T extends EventPayload> Event<T> of(String source, Instant time, String tenant, String subject,
            T data) {
        return new Event<>(UUID.randomUUID(), source, time, tenant, subject, null, data);
    }

    /** The same event, attributed to who caused it. */
    public Event<T> by(String who) {
        return new Event<>(id, source, time, tenant, subject, who, data);
    }

    public EventType type() {
        return EventType.of(data);
    }

    public String topic() {
        return type().topic();
    }

    public String partitionKey() {
        return data.partitionKey();
    }
}
