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
    void other_failures_are_not_retried_as_conflicts() {
        assertThat(SchedulerEventHandler.isConflict(new IllegalStateException("database down"))).isFalse();
        assertThat(SchedulerEventHandler.isConflict(new NullPointerException())).isFalse();
    }
}
