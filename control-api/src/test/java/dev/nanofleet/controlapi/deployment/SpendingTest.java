package dev.nanofleet.controlapi.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which changes to a deployment spend more, and so wait while its tenant is spend-held. */
class SpendingTest {

    @Test
    void more_replicas_grow_the_deployment() {
        assertThat(Spending.grows(2, 250, 128, 3, 250, 128)).isTrue();
    }

    @Test
    void more_cpu_or_memory_per_replica_grows_it() {
        assertThat(Spending.grows(2, 250, 128, 2, 500, 128)).isTrue();
        assertThat(Spending.grows(2, 250, 128, 2, 250, 256)).isTrue();
    }

    @Test
    void trading_less_of_one_for_more_of_another_grows_it() {
        assertThat(Spending.grows(2, 250, 128, 1, 500, 128)).isTrue();
        assertThat(Spending.grows(2, 500, 128, 2, 250, 256)).isTrue();
    }

    @Test
    void the_same_or_less_of_everything_does_not() {
        assertThat(Spending.grows(2, 250, 128, 2, 250, 128)).isFalse();
        assertThat(Spending.grows(3, 250, 128, 1, 250, 128)).isFalse();
        assertThat(Spending.grows(2, 500, 256, 2, 250, 128)).isFalse();
    }
}
