package dev.nanofleet.node.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.node.core.HealthChecks.Verdict;
import dev.nanofleet.nodeapi.HealthCheck;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {

    private static final UUID ID = UUID.randomUUID();
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final ProbeResult OK = ProbeResult.pass("HTTP 200 from /healthz");
    private static final ProbeResult BAD = ProbeResult.fail("HTTP 500 from /healthz");

    private static HealthCheck check(int startPeriodSeconds, int threshold) {
        return new HealthCheck(HealthCheck.Type.HTTP, 8080, "/healthz", 200, 399, null, 5, 2, startPeriodSeconds,
                threshold);
    }

    private static Instant at(int seconds) {
        return START.plusSeconds(seconds);
    }

    @Test
    void a_run_starts_starting_and_its_first_pass_makes_it_healthy() {
        HealthTracker tracker = new HealthTracker(ID, 1, check(0, 3), START);
        assertThat(tracker.health()).isEqualTo(InstanceHealth.STARTING);

        Verdict verdict = tracker.record(OK, at(1));

        assertThat(verdict).isEqualTo(new Verdict(ID, 1, InstanceHealth.HEALTHY, null, false, null));
        assertThat(tracker.record(OK, at(6))).isNull();
    }

    @Test
    void failures_within_the_start_period_do_not_count_and_keep_it_starting() {
        HealthTracker tracker = new HealthTracker(ID, 1, check(30, 1), START);

        for (int s = 0; s < 30; s += 5) {
            assertThat(tracker.record(BAD, at(s))).isNull();
        }
        assertThat(tracker.health()).isEqualTo(InstanceHealth.STARTING);
        assertThat(tracker.failuresInARow()).isZero();
        assertThat(tracker.reason()).isEqualTo("HTTP 500 from /healthz");

        // the start period is over: with a threshold of 1 the next failure ends it
        Verdict verdict = tracker.record(BAD, at(30));
        assertThat(verdict.health()).isEqualTo(InstanceHealth.UNHEALTHY);
        assertThat(verdict.endProcess()).isTrue();
        assertThat(verdict.endReason()).isEqualTo("health check failed 1 time: HTTP 500 from /healthz");
    }

    @Test
    void a_pass_ends_the_start_period_early_so_later_failures_count() {
        HealthTracker tracker = new HealthTracker(ID, 1, check(60, 2), START);
        tracker.record(OK, at(1));

        assertThat(tracker.record(BAD, at(6))).isNull();
        Verdict verdict = tracker.record(BAD, at(11));

        assertThat(verdict.health()).isEqualTo(InstanceHealth.UNHEALTHY);
        assertThat(verdict.endProcess()).isTrue();
    }

    @Test
    void the_threshold_of_failures_in_a_row_makes_it_unhealthy_and_asks_to_end_it_with_the_last_failure() {
        HealthTracker tracker = new HealthTracker(ID, 7, check(0, 3), START);
        tracker.record(OK, at(0));

        assertThat(tracker.record(ProbeResult.fail("GET /healthz on port 8080 timed out after 2 s"), at(5))).isNull();
        assertThat(tracker.record(BAD, at(10))).isNull();
        assertThat(tracker.health()).isEqualTo(InstanceHealth.HEALTHY);
        Verdict verdict = tracker.record(BAD, at(15));

        assertThat(verdict).isEqualTo(new Verdict(ID, 7, InstanceHealth.UNHEALTHY, "HTTP 500 from /healthz", true,
                "health check failed 3 times in a row: HTTP 500 from /healthz"));
        // it asks again after each further failure, in case ending it failed
        assertThat(tracker.record(BAD, at(20)).endReason()).isEqualTo(
                "health check failed 4 times in a row: HTTP 500 from /healthz");
    }

    @Test
    void a_pass_resets_the_failures_counted() {
        HealthTracker tracker = new HealthTracker(ID, 1, check(0, 3), START);
        tracker.record(OK, at(0));
        tracker.record(BAD, at(5));
        tracker.record(BAD, at(10));

        assertThat(tracker.record(OK, at(15))).isNull();
        assertThat(tracker.failuresInARow()).isZero();
        assertThat(tracker.reason()).isNull();
        assertThat(tracker.record(BAD, at(20))).isNull();
        assertThat(tracker.record(BAD, at(25))).isNull();
        assertThat(tracker.health()).isEqualTo(InstanceHealth.HEALTHY);
    }

    @Test
    void a_pass_after_unhealthy_makes_it_healthy_again() {
        HealthTracker tracker = new HealthTracker(ID, 1, check(0, 1), START);
        tracker.record(BAD, at(0));

        assertThat(tracker.record(OK, at(5))).isEqualTo(new Verdict(ID, 1, InstanceHealth.HEALTHY, null, false,
                null));
    }

    @Test
    void a_threshold_below_one_is_taken_as_one() {
        HealthTracker tracker = new HealthTracker(ID, 1, check(0, 0), START);

        assertThat(tracker.record(BAD, at(0)).endProcess()).isTrue();
    }
}
