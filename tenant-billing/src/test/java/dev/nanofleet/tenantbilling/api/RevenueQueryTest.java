package dev.nanofleet.tenantbilling.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RevenueQueryTest {

    static final Instant NOW = Instant.parse("2026-03-15T10:00:00Z");

    @Test
    void no_range_means_the_30_days_before_now_and_ten_tenants() {
        RevenueQuery query = RevenueQuery.parse(null, null, null, NOW).query();
        assertThat(query).isEqualTo(new RevenueQuery(Instant.parse("2026-02-13T10:00:00Z"), NOW, 10));
    }

    @Test
    void one_end_given_puts_the_other_30_days_away() {
        assertThat(RevenueQuery.parse("2026-01-01T00:00:00Z", null, "3", NOW).query()).isEqualTo(new RevenueQuery(
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-31T00:00:00Z"), 3));
        assertThat(RevenueQuery.parse(null, "2026-01-31T00:00:00Z", null, NOW).query().from())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void every_bad_parameter_is_named_at_once() {
        RevenueQuery.Parsed parsed = RevenueQuery.parse("2026-01-01", "soon", "1000", NOW);
        assertThat(parsed.query()).isNull();
        assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("from", "to", "limit");
    }

    @Test
    void a_range_that_ends_where_it_starts_or_before_is_refused_naming_to() {
        assertThat(RevenueQuery.parse("2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z", null, NOW).errors())
                .extracting(FieldError::field).containsExactly("to");
        assertThat(RevenueQuery.parse("2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z", null, NOW).errors())
                .extracting(FieldError::field).containsExactly("to");
    }
}
