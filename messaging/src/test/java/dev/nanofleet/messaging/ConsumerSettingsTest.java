package dev.nanofleet.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumerSettingsTest {

    @Test
    void the_backoff_doubles_after_each_failure_up_to_its_bound() {
        ConsumerSettings settings = ConsumerSettings.defaults();

        assertThat(settings.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.backoffAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.backoffAfter(5)).isEqualTo(Duration.ofMillis(1600));
        assertThat(settings.backoffAfter(50)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void a_consumer_that_keeps_dying_waits_longer_each_time_up_to_thirty_seconds() {
        ConsumerSettings settings = ConsumerSettings.defaults();

        assertThat(settings.restartBackoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.restartBackoffAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.restartBackoffAfter(100)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retries_that_would_outlast_the_poll_interval_are_refused_at_start_up() {
        assertThatThrownBy(() -> ConsumerSettings.of(20, Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max.poll.interval");
    }

    @Test
    void a_handler_must_get_at_least_one_attempt() {
        assertThatThrownBy(() -> ConsumerSettings.of(0, Duration.ofMinutes(5), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("handlerAttempts");
    }
}
