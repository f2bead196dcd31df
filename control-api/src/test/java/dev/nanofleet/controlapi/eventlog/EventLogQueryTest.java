package dev.nanofleet.controlapi.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.FieldError;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventLogQueryTest {

    private static EventLogQuery.Raw raw() {
        return new EventLogQuery.Raw(null, null, null, null, null, null, null, null, null);
    }

    private static EventLogQuery ok(EventLogQuery.Raw raw) {
        EventLogQuery.Parsed parsed = EventLogQuery.parse(raw);
        assertThat(parsed.errors()).isEmpty();
        return parsed.query();
    }

    private static String badField(EventLogQuery.Raw raw) {
        EventLogQuery.Parsed parsed = EventLogQuery.parse(raw);
        assertThat(parsed.query()).isNull();
        return parsed.errors().stream().map(FieldError::field).findFirst().orElseThrow();
    }

    @Test
    void no_parameters_mean_every_event_from_the_beginning_a_hundred_a_page() {
        EventLogQuery query = ok(raw());
        assertThat(query.types()).isEmpty();
        assertThat(query.after()).isZero();
        assertThat(query.limit()).isEqualTo(100);
        assertThat(query.follow()).isFalse();
    }

    @Test
    void types_are_comma_separated_names_of_kept_events() {
        EventLogQuery query = ok(new EventLogQuery.Raw("deployment.created, instance.state-changed", null, null,
                null, null, null, null, null, "true"));
        assertThat(query.types()).containsExactlyInAnyOrder("deployment.created", "instance.state-changed");
        assertThat(query.follow()).isTrue();
        assertThat(badField(new EventLogQuery.Raw("node.heartbeat", null, null, null, null, null, null, null,
                null))).isEqualTo("type");
        assertThat(badField(new EventLogQuery.Raw("instance.usage-sampled", null, null, null, null, null, null, null,
                null))).isEqualTo("type");
        assertThat(badField(new EventLogQuery.Raw("bogus", null, null, null, null, null, null, null, null)))
                .isEqualTo("type");
    }

    @Test
    void since_is_an_rfc_3339_time_with_an_offset() {
        assertThat(ok(new EventLogQuery.Raw(null, null, "2026-12-01T11:00:00+01:00", null, null, null, null, null,
                null)).since()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(badField(new EventLogQuery.Raw(null, null, "2026-12-01T10:00:00", null, null, null, null, null,
                null))).isEqualTo("since");
        assertThat(badField(new EventLogQuery.Raw(null, null, "1h", null, null, null, null, null, null)))
                .isEqualTo("since");
    }

    @Test
    void a_cursor_round_trips_and_anything_else_is_refused() {
        assertThat(ok(new EventLogQuery.Raw(null, null, null, null, EventLogQuery.cursor(42), null, null, null,
                null)).after()).isEqualTo(42);
        assertThat(badField(new EventLogQuery.Raw(null, null, null, null, "42", null, null, null, null)))
                .isEqualTo("cursor");
        assertThat(badField(new EventLogQuery.Raw(null, null, null, null, "!!", null, null, null, null)))
                .isEqualTo("cursor");
    }

    @Test
    void after_and_last_event_id_are_sequence_numbers_and_only_one_start_is_given() {
        assertThat(ok(new EventLogQuery.Raw(null, null, null, null, null, "7", null, null, null)).after())
                .isEqualTo(7);
        assertThat(ok(new EventLogQuery.Raw(null, null, null, null, null, null, " 9 ", null, "true")).after())
                .isEqualTo(9);
        assertThat(badField(new EventLogQuery.Raw(null, null, null, null, null, "-1", null, null, null)))
                .isEqualTo("after");
        assertThat(badField(new EventLogQuery.Raw(null, null, null, null, null, null, "x", null, null)))
                .isEqualTo("Last-Event-ID");
        assertThat(badField(new EventLogQuery.Raw(null, null, null, null, null, "1", "2", null, null)))
                .isEqualTo("after");
    }

    @Test
    void limit_deployment_tenant_and_follow_are_checked() {
        assertThat(badField(new EventLogQuery.Raw(null, null, null, null, null, null, null, "0", null)))
                .isEqualTo("limit");
        assertThat(badField(new EventLogQuery.Raw(null, null, null, null, null, null, null, "501", null)))
                .isEqualTo("limit");
        assertThat(ok(new EventLogQuery.Raw(null, null, null, null, null, null, null, "500", null)).limit())
                .isEqualTo(500);
        assertThat(badField(new EventLogQuery.Raw(null, "web", null, null, null, null, null, null, null)))
                .isEqualTo("deployment");
        UUID id = UUID.randomUUID();
        assertThat(ok(new EventLogQuery.Raw(null, id.toString(), null, null, null, null, null, null, null))
                .deploymentId()).isEqualTo(id);
        assertThat(badField(new EventLogQuery.Raw(null, null, null, "Bad Tenant", null, null, null, null, null)))
                .isEqualTo("tenant");
        assertThat(badField(new EventLogQuery.Raw(null, null, null, null, null, null, null, null, "yes")))
                .isEqualTo("follow");
    }
}
