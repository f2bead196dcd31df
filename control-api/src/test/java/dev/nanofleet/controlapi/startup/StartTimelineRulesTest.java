package dev.nanofleet.controlapi.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.nodeapi.StartTimeline;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartTimelineRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static java.util.List<String> fields(StartTimeline t) {
        return StartTimelineRules.validate(t, NOW).stream().map(FieldError::field).toList();
    }

    @Test
    void no_timeline_or_an_ordered_one_in_the_past_is_fine() {
        assertThat(fields(null)).isEmpty();
        assertThat(fields(new StartTimeline(NOW.minusMillis(3), NOW.minusMillis(3), NOW))).isEmpty();
        assertThat(fields(new StartTimeline(null, null, NOW.plusSeconds(4)))).as("within the skew").isEmpty();
    }

    @Test
    void a_time_out_of_order_is_named() {
        assertThat(fields(new StartTimeline(NOW, NOW.minusSeconds(1), null))).containsExactly("timeline.pulledAt");
        assertThat(fields(new StartTimeline(NOW, null, NOW.minusSeconds(1)))).containsExactly("timeline.startedAt");
    }

    @Test
    void a_time_in_the_future_beyond_the_skew_is_named() {
        assertThat(fields(new StartTimeline(NOW.plusSeconds(60), null, null))).containsExactly("timeline.deliveredAt");
    }
}
