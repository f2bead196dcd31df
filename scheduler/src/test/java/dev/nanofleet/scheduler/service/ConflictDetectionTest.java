package dev.nanofleet.scheduler.service;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.OptimisticLockException;
import jakarta.transaction.RollbackException;
import org.hibernate.StaleObjectStateException;
import org.junit.jupiter.api.Test;

class ConflictDetectionTest {

    @Test
    void a_lost_optimistic_lock_anywhere_in_the_cause_chain_is_a_conflict() {
        assertThat(SchedulerEventHandler.isConflict(new OptimisticLockException("stale"))).isTrue();
        assertThat(SchedulerEventHandler.isConflict(
                new IllegalStateException("wrapped", new StaleObjectStateException("NodeEntity", "node-a")))).isTrue();
        RollbackException rollback = new RollbackException("commit failed");
        rollback.initCause(new OptimisticLockException("stale"));
        assertThat(SchedulerEventHandler.isConflict(rollback)).isTrue();
    }

    @Test
    void a_stale_view_a_deadlock_or_a_serialization_failure_is_a_conflict() {
        assertThat(SchedulerEventHandler.isConflict(new RuntimeException("tx",
                new StaleView(java.util.Set.of("node-a"), java.util.Set.of(), "changed")))).isTrue();
        assertThat(SchedulerEventHandler.isConflict(
                new IllegalStateException("wrapped", new java.sql.SQLException("deadlock detected", "40P01"))))
                .isTrue();
        assertThat(SchedulerEventHandler.isConflict(new java.sql.SQLException("could not serialize", "40001")))
                .isTrue();
        assertThat(SchedulerEventHandler.isConflict(new java.sql.SQLException("invalid byte sequence", "22021")))
                .isFalse();
    }

    @Test
    void other_failures_are_not_retried_as_conflicts() {
        assertThat(SchedulerEventHandler.isConflict(new IllegalStateException("database down"))).isFalse();
        assertThat(SchedulerEventHandler.isConflict(new NullPointerException())).isFalse();
    }
}
