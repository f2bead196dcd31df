package dev.nanofleet.controlapi.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NodeLivenessRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private static final Instant LONG_AGO = NOW.minus(Duration.ofHours(1));
    private final NodeLivenessRules rules = new NodeLivenessRules(Duration.ofSeconds(60), 0.55, 6);

    @Test
    void a_node_silent_past_the_grace_period_is_lost_and_one_heartbeating_is_not() {
        List<NodeLivenessRules.Node> nodes = List.of(silentFor("quiet", 61), silentFor("alive", 5),
                silentFor("alive-2", 59));

        NodeLivenessRules.Decision decision = rules.decide(nodes, NOW, LONG_AGO, 0);

        assertThat(decision.lost()).containsExactly("quiet");
        assertThat(decision.controlPlaneSuspected()).isFalse();
    }

    @Test
    void a_node_exactly_at_the_grace_period_is_not_lost_yet() {
        NodeLivenessRules.Decision decision = rules.decide(List.of(silentFor("edge", 60), silentFor("a", 1),
                silentFor("b", 1)), NOW, LONG_AGO, 0);

        assertThat(decision.lost()).isEmpty();
    }

    @Test
    void nothing_is_lost_before_control_api_has_watched_for_a_whole_grace_period() {
        List<NodeLivenessRules.Node> nodes = List.of(silentFor("quiet", 600), silentFor("a", 1), silentFor("b", 1));

        assertThat(rules.decide(nodes, NOW, NOW.minusSeconds(30), 0).lost()).isEmpty();
        assertThat(rules.decide(nodes, NOW, NOW.minusSeconds(61), 0).lost()).containsExactly("quiet");
    }

    @Test
    void when_more_than_the_unhealthy_share_goes_silent_at_once_the_control_plane_is_suspected_and_none_is_lost() {
        // 6 of 10 silent (60% > 55%): a Kafka, database or network fault on our side is likelier than 6 dead nodes
        List<NodeLivenessRules.Node> nodes = IntStream.range(0, 10)
                .mapToObj(i -> silentFor("n" + i, i < 6 ? 120 : 1))
                .toList();

        NodeLivenessRules.Decision decision = rules.decide(nodes, NOW, LONG_AGO, 0);

        assertThat(decision.lost()).isEmpty();
        assertThat(decision.controlPlaneSuspected()).isTrue();
        assertThat(decision.silent()).isEqualTo(6);
    }

    @Test
    void a_share_at_the_threshold_still_marks_the_silent_nodes() {
        List<NodeLivenessRules.Node> nodes = IntStream.range(0, 20)
                .mapToObj(i -> silentFor("n" + i, i < 11 ? 120 : 1))
                .toList();

        // 11 of 20 = 55%: not more than the threshold; the rate limit then takes the 6 longest silent
        NodeLivenessRules.Decision decision = new NodeLivenessRules(Duration.ofSeconds(60), 0.55, 100)
                .decide(nodes, NOW, LONG_AGO, 0);

        assertThat(decision.controlPlaneSuspected()).isFalse();
        assertThat(decision.lost()).hasSize(11);
    }

    @Test
    void a_whole_fleet_silent_after_a_control_plane_outage_loses_nothing() {
        List<NodeLivenessRules.Node> nodes = List.of(silentFor("only", 300));

        NodeLivenessRules.Decision decision = rules.decide(nodes, NOW, LONG_AGO, 0);

        assertThat(decision.lost()).isEmpty();
        assertThat(decision.controlPlaneSuspected()).isTrue();
    }

    @Test
    void marks_are_rate_limited_per_minute_and_the_longest_silent_go_first() {
        List<NodeLivenessRules.Node> nodes = IntStream.range(0, 30)
                .mapToObj(i -> silentFor("n" + i, i < 10 ? 100 + i : 1))
                .toList();

        NodeLivenessRules.Decision fresh = rules.decide(nodes, NOW, LONG_AGO, 0);
        NodeLivenessRules.Decision afterFour = rules.decide(nodes, NOW, LONG_AGO, 4);
        NodeLivenessRules.Decision spent = rules.decide(nodes, NOW, LONG_AGO, 6);

        assertThat(fresh.lost()).containsExactly("n9", "n8", "n7", "n6", "n5", "n4");
        assertThat(fresh.deferred()).isEqualTo(4);
        assertThat(afterFour.lost()).containsExactly("n9", "n8");
        assertThat(spent.lost()).isEmpty();
        assertThat(spent.deferred()).isEqualTo(10);
    }

    private static NodeLivenessRules.Node silentFor(String name, int seconds) {
        return new NodeLivenessRules.Node(name, NOW.minusSeconds(seconds));
    }

    @Test
    void a_heartbeat_flush_interval_above_half_the_grace_is_refused_at_start_up() {
        assertThatCode(() -> NodeLivenessRules.checkFlushInterval(Duration.ofSeconds(1), Duration.ofSeconds(60)))
                .doesNotThrowAnyException();
        assertThatCode(() -> NodeLivenessRules.checkFlushInterval(Duration.ofSeconds(30), Duration.ofSeconds(60)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> NodeLivenessRules.checkFlushInterval(Duration.ofSeconds(31), Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heartbeat-flush-interval (PT31S) must be at most half of lost-after (PT1M)");
    }
}
