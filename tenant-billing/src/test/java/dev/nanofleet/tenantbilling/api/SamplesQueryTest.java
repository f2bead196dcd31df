package dev.nanofleet.tenantbilling.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SamplesQueryTest {

    static final Instant NOW = Instant.parse("2026-03-15T10:00:00Z");

    @Test
    void no_parameters_mean_the_last_hour_and_720_samples() {
        assertThat(SamplesQuery.parse(null, null, NOW).query())
                .isEqualTo(new SamplesQuery(Instant.parse("2026-03-15T09:00:00Z"), 720));
    }

    @Test
    void since_and_limit_are_taken_as_given_within_bounds() {
        assertThat(SamplesQuery.parse(" 2026-03-01T00:00:00Z ", "1", NOW).query())
                .isEqualTo(new SamplesQuery(Instant.parse("2026-03-01T00:00:00Z"), 1));
        assertThat(SamplesQuery.parse("2026-03-01T00:00:00.123456Z", "5000", NOW).query())
                .isEqualTo(new SamplesQuery(Instant.parse("2026-03-01T00:00:00.123456Z"), 5000));
        // a since in the future is no error: nothing was sampled after it yet
        assertThat(SamplesQuery.parse("2027-01-01T00:00:00Z", null, NOW).errors()).isEmpty();
    }

    @Test
    void a_limit_outside_1_to_5000_or_not_a_whole_number_is_named() {
        for (String limit : new String[]{"0", "5001", "-1", "ten", "2.5", "", "99999999999"}) {
            assertThat(SamplesQuery.parse(null, limit, NOW).errors()).as(limit).extracting(FieldError::field)
                    .containsExactly("limit");
        }
    }

    @Test
    void a_since_that_is_no_instant_or_beyond_what_can_be_stored_is_named() {
        for (String since : new String[]{"yesterday", "2026-03-01", "2026-13-01T00:00:00Z", "1969-12-31T23:59:59Z",
                "+10000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", ""}) {
            assertThat(SamplesQuery.parse(since, null, NOW).errors()).as(since).extracting(FieldError::field)
                    .containsExactly("since");
        }
    }

    @Test
    void both_bad_parameters_are_named_at_once() {
        SamplesQuery.Parsed parsed = SamplesQuery.parse("soon", "0", NOW);
        assertThat(parsed.query()).isNull();
        assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("since", "limit");
    }
}
