package dev.nanofleet.messaging;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a failure of the infrastructure (the database unreachable) from a failure of the event. The first says nothing
 * about the event: setting it aside would lose every event consumed during a database restart, so it is retried until
 * the database answers (the consumer reports itself stuck meanwhile). Only the second counts towards the attempts
 * before the dead-letter topic.
 */
final class InfrastructureFailure {

    /**
     * SQLSTATE class 08 (connection exception) and the server's "shutting down", "cannot connect now" and "too many
     * connections".
     */
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private InfrastructureFailure() {
    }

    static boolean isCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (t.getCause() == t) {
                return false;
            }
        }
        return false;
    }
}
