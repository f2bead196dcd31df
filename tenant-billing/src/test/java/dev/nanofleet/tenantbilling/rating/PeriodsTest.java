package dev.nanofleet.tenantbilling.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PeriodsTest {

    private final CalendarMonths months = new CalendarMonths();

    private static Period period(String start, String end) {
        return new Period(Instant.parse(start), Instant.parse(end));
    }

    @Test
    void february_of_a_leap_year_has_29_days() {
        assertThat(months.containing(Instant.parse("2028-02-29T23:59:59.999Z")))
                .isEqualTo(period("2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z"));
        assertThat(months.containing(Instant.parse("2027-02-15T12:00:00Z")))
                .isEqualTo(period("2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z"));
    }

    @Test
    void december_is_followed_by_january_of_the_next_year() {
        Period december = months.containing(Instant.parse("2026-12-31T23:59:59Z"));

        assertThat(december).isEqualTo(period("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"));
        assertThat(months.next(december)).isEqualTo(period("2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"));
        assertThat(months.previous(months.next(december))).isEqualTo(december);
    }

    @Test
    void a_month_starts_at_midnight_utc_of_its_first_day() {
        assertThat(months.containing(Instant.parse("2026-03-01T00:00:00Z")).start())
                .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(months.containing(Instant.parse("2026-02-28T23:59:59.999999999Z")).end())
                .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    }

    @Test
    void fixed_periods_are_anchored_at_the_epoch() {
        FixedPeriods minutes = new FixedPeriods(Duration.ofMinutes(1));

        assertThat(minutes.containing(Instant.parse("2026-03-01T10:15:30.5Z")))
                .isEqualTo(period("2026-03-01T10:15:00Z", "2026-03-01T10:16:00Z"));
        assertThat(minutes.containing(Instant.parse("1969-12-31T23:59:59.5Z")))
                .isEqualTo(period("1969-12-31T23:59:00Z", "1970-01-01T00:00:00Z"));
    }

    @Test
    void fixed_periods_last_a_positive_whole_number_of_seconds() {
        assertThatThrownBy(() -> new FixedPeriods(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FixedPeriods(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FixedPeriods(Duration.ofSeconds(-60)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_span_is_cut_at_each_utc_midnight_it_crosses() {
        assertThat(period("2026-03-01T22:00:00Z", "2026-03-03T01:30:00Z").utcDays()).containsExactly(
                period("2026-03-01T22:00:00Z", "2026-03-02T00:00:00Z"),
                period("2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"),
                period("2026-03-03T00:00:00Z", "2026-03-03T01:30:00Z"));
        assertThat(period("2026-03-01T10:00:00Z", "2026-03-01T10:02:00Z").utcDays())
                .containsExactly(period("2026-03-01T10:00:00Z", "2026-03-01T10:02:00Z"));
    }
}
