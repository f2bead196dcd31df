package dev.nanofleet.controlapi.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.FieldError;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeploymentListQueryTest {

    @Test
    void no_parameters_ask_for_the_first_hundred_live_deployments() {
        DeploymentListQuery query = DeploymentListQuery.parse(null, null, null, null).query();
        assertThat(query).isEqualTo(new DeploymentListQuery(100, null, null, DeploymentListQuery.State.ACTIVE));
    }

    @Test
    void a_cursor_given_out_reads_back_as_the_same_position() {
        DeploymentListQuery.Position at = new DeploymentListQuery.Position(Instant.parse("2026-12-01T05:00:00.123456Z"),
                UUID.randomUUID());
        DeploymentListQuery query = DeploymentListQuery.parse("5", at.cursor(), "web", "Deleted").query();
        assertThat(query.after()).isEqualTo(at);
        assertThat(query.limit()).isEqualTo(5);
        assertThat(query.namePrefix()).isEqualTo("web");
        assertThat(query.state()).isEqualTo(DeploymentListQuery.State.DELETED);
        assertThat(at.cursor()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void every_bad_parameter_is_named() {
        assertThat(DeploymentListQuery.parse("0", "not a cursor!", "x".repeat(64), "gone").errors())
                .extracting(FieldError::field).containsExactly("limit", "cursor", "name", "state");
        assertThat(DeploymentListQuery.parse("501", "bm9wZQ", null, null).errors()).extracting(FieldError::field)
                .containsExactly("limit", "cursor");
        assertThat(DeploymentListQuery.parse("ten", null, null, null).errors()).extracting(FieldError::field)
                .containsExactly("limit");
    }

    @Test
    void if_match_compares_strong_tags_and_accepts_a_star_or_nothing() {
        assertThat(EntityTags.matches(null, 3)).isTrue();
        assertThat(EntityTags.matches("*", 3)).isTrue();
        assertThat(EntityTags.matches("\"3\"", 3)).isTrue();
        assertThat(EntityTags.matches("\"2\", \"3\"", 3)).isTrue();
        assertThat(EntityTags.matches("\"2\"", 3)).isFalse();
        assertThat(EntityTags.matches("W/\"3\"", 3)).isFalse();
        assertThat(EntityTags.matches("3", 3)).isFalse();
    }
}
