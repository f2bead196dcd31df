package dev.nanofleet.controlapi.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.deployment.InstanceEntity.Timeline;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartPhasesTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static Instant at(long millis) {
        return T.plusMillis(millis);
    }

    @Test
    void a_direct_start_has_every_phase_and_the_total() {
        var phases = StartPhases.of(new Timeline(at(0), at(10), at(30), at(60), at(100), at(150), at(160)));

        assertThat(phases).containsExactly(java.util.Map.entry("relay", Duration.ofMillis(10)),
                java.util.Map.entry("schedule", Duration.ofMillis(20)),
                java.util.Map.entry("deliver", Duration.ofMillis(30)),
                java.util.Map.entry("pull", Duration.ofMillis(40)), java.util.Map.entry("start", Duration.ofMillis(50)),
                java.util.Map.entry("report", Duration.ofMillis(10)),
                java.util.Map.entry("total", Duration.ofMillis(160)));
    }

    @Test
    void a_replica_that_waited_or_moved_has_no_relay_schedule_or_total_and_unknown_or_negative_phases_are_left_out() {
        var phases = StartPhases.of(new Timeline(at(0), null, at(5000), null, at(5100), at(5050), at(5200)));

        assertThat(phases).containsOnlyKeys("report");
    }
}
