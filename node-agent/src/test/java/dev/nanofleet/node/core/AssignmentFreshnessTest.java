package dev.nanofleet.node.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.node.testing.MovableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AssignmentFreshnessTest {

    private final MovableClock clock = new MovableClock();
    private final AssignmentFreshness freshness = new AssignmentFreshness(clock, Duration.ofSeconds(30));

    private void fetch() {
        freshness.fetched(freshness.ticket());
    }

    @Test
    void without_a_watch_every_pass_fetches() {
        fetch();
        assertThat(freshness.mustFetch()).isTrue();
    }

    @Test
    void with_a_watch_a_pass_fetches_only_after_a_change_or_when_the_list_is_old() {
        freshness.watching(true);
        assertThat(freshness.mustFetch()).as("never fetched").isTrue();
        fetch();
        assertThat(freshness.mustFetch()).isFalse();

        freshness.changed();
        assertThat(freshness.mustFetch()).isTrue();
        fetch();
        assertThat(freshness.mustFetch()).isFalse();

        clock.advance(Duration.ofSeconds(30));
        assertThat(freshness.mustFetch()).as("resync interval over").isTrue();
    }

    @Test
    void a_change_announced_while_a_fetch_runs_makes_the_next_pass_fetch_again() {
        freshness.watching(true);
        long ticket = freshness.ticket();
        freshness.changed(); // arrives after the fetch read the list
        freshness.fetched(ticket);

        assertThat(freshness.mustFetch()).isTrue();
    }

    @Test
    void a_lost_watch_means_polling_again() {
        freshness.watching(true);
        fetch();
        freshness.watching(false);
        assertThat(freshness.mustFetch()).isTrue();
    }

}
