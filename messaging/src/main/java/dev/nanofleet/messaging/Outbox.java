package dev.nanofleet.messaging;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import javax.sql.DataSource;

/**
 * Appends events to the {@code outbox_event} table. Call it inside the transaction that makes the change the event
 * announces: with JTA (Quarkus {@code @Transactional}) a connection taken from the data source joins that transaction,
 * so the change and its event commit or roll back together. {@link OutboxRelay} publishes them afterwards.
 */
public final class Outbox {

    private static final String INSERT = """
            INSERT INTO outbox_event (id, topic, aggregate_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)""";

    private final DataSource dataSource;
    private final Runnable wakeRelay;

    /** @param wakeRelay called after each append so the relay need not wait for its next poll; may do nothing */
    public Outbox(DataSource dataSource, Runnable wakeRelay) {
        this.dataSource = dataSource;
        this.wakeRelay = wakeRelay;
    }

    public void append(Event<?> event) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            bind(insert, event);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new MessagingException("cannot append event " + event.id() + " to the outbox", e);
        }
        wakeRelay.run();
    }

    /**
     * Appends many events in one batched statement on {@code connection}, the caller's own transaction (for a writer
     * that commits a whole batch of changes at once with plain JDBC). The caller wakes the relay after its commit.
     */
    public static void appendAll(Connection connection, List<Event<?>> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Event<?> event : events) {
                bind(insert, event);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void bind(PreparedStatement insert, Event<?> event) throws SQLException {
        insert.setObject(1, event.id());
        insert.setString(2, event.topic());
        insert.setString(3, event.partitionKey());
        insert.setString(4, event.type().typeName());
        insert.setBytes(5, EventCodec.encode(event));
        insert.setTimestamp(6, Timestamp.from(event.time()));
    }
}
