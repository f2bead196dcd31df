package dev.nanofleet.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/** Remembers which events a consumer has applied. Use inside the transaction that applies the event. */
public final class ProcessedEvents {

    private static final String INSERT = """
            INSERT INTO processed_event (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING""";

    private final DataSource dataSource;
    private final String consumer;

    public ProcessedEvents(DataSource dataSource, String consumer) {
        this.dataSource = dataSource;
        this.consumer = consumer;
    }

    /** Records the event id; returns false when this consumer had already applied it (the caller then does nothing). */
    public boolean firstTime(UUID eventId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, consumer);
            insert.setObject(2, eventId);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new MessagingException("cannot record processed event " + eventId, e);
        }
    }
}
