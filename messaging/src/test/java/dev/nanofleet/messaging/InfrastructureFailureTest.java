package dev.nanofleet.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class InfrastructureFailureTest {

    @Test
    void a_lost_or_refused_database_connection_is_the_infrastructures_fault_however_deeply_wrapped() {
        assertThat(InfrastructureFailure.isCauseOf(new IllegalStateException("tx failed",
                new RuntimeException("flush", new SQLException("An I/O error occurred", "08006"))))).isTrue();
        assertThat(InfrastructureFailure.isCauseOf(new SQLTransientConnectionException("pool exhausted"))).isTrue();
        assertThat(InfrastructureFailure.isCauseOf(new SQLException("the database system is shutting down", "57P03")))
                .isTrue();
    }

    @Test
    void a_failure_the_event_causes_counts_towards_the_dead_letter_topic() {
        assertThat(InfrastructureFailure.isCauseOf(
                new RuntimeException(new SQLException("invalid byte sequence for encoding UTF8: 0x00", "22021"))))
                .isFalse();
        assertThat(InfrastructureFailure.isCauseOf(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(InfrastructureFailure.isCauseOf(new IllegalArgumentException("no such deployment"))).isFalse();
        assertThat(InfrastructureFailure.isCauseOf(new SQLException("no state"))).isFalse();
    }
}
