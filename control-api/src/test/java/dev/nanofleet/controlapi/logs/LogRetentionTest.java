package dev.nanofleet.controlapi.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogRetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private final LogRetention retention = new LogRetention(Duration.ofHours(1), 5);

    @Test
    void an_ended_instances_output_is_kept_while_its_deployment_exists() {
        assertThat(retention.keeps(null, 0, NOW)).isTrue();
        assertThat(retention.keeps(null, 4, NOW.plus(Duration.ofDays(30)))).isTrue();
    }

    @Test
    void after_its_deployment_is_deleted_the_output_is_kept_for_the_retention_period_only() {
        assertThat(retention.keeps(NOW.minus(Duration.ofMinutes(59)), 0, NOW)).isTrue();
        assertThat(retention.keeps(NOW.minus(Duration.ofHours(1)), 0, NOW)).isFalse();
        assertThat(retention.whyDeleted(NOW.minus(Duration.ofHours(2)), 0, NOW)).contains("deleted at")
                .contains("PT1H");
    }

    @Test
    void only_the_newest_ended_instances_of_a_deployment_are_kept() {
        assertThat(retention.keeps(null, 4, NOW)).isTrue();
        assertThat(retention.keeps(null, 5, NOW)).isFalse();
        assertThat(retention.whyDeleted(null, 5, NOW)).contains("newest 5");
    }
}
