package dev.nanofleet.node.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.nodeapi.InstanceNetwork;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StopDrainTest {

    private static final StopDrain FIVE_SECONDS = new StopDrain(Duration.ofSeconds(5));
    private static final InstanceNetwork PUBLISHED = new InstanceNetwork("10.213.0.2", List.of(
            new InstanceNetwork.PortBinding(8080, 40123)));

    @Test
    void an_instance_that_publishes_ports_waits_the_delay() {
        assertThat(FIVE_SECONDS.before(PUBLISHED, false)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void an_instance_without_published_ports_or_without_a_network_stops_at_once() {
        assertThat(FIVE_SECONDS.before(new InstanceNetwork("10.213.0.3", List.of()), false)).isZero();
        assertThat(FIVE_SECONDS.before(new InstanceNetwork("10.213.0.3", null), false)).isZero();
        assertThat(FIVE_SECONDS.before(null, false)).isZero();
    }

    @Test
    void a_stop_that_drained_once_does_not_wait_again() {
        assertThat(FIVE_SECONDS.before(PUBLISHED, true)).isZero();
    }

    @Test
    void a_zero_delay_turns_draining_off_and_a_negative_one_is_refused() {
        assertThat(StopDrain.OFF.before(PUBLISHED, false)).isZero();
        assertThatThrownBy(() -> new StopDrain(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }
}
