package dev.nanofleet.controlapi.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.rollout.RolloutPlanner.Replica;
import dev.nanofleet.controlapi.rollout.RolloutPlanner.Situation;
import dev.nanofleet.controlapi.rollout.RolloutPlanner.Step;
import dev.nanofleet.events.RolloutState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static Replica replica(int revision, int ordinal, boolean ready) {
        return new Replica(new UUID(revision, ordinal), revision, ordinal, ready, null);
    }

    private static Step next(int desired, RolloutPolicy policy, List<Replica> replicas, Instant progressedAt) {
        return RolloutPlanner.next(new Situation(desired, 2, policy, replicas, progressedAt, T0.plusSeconds(10)));
    }

    @Test
    void the_defaults_on_three_replicas_add_one_new_replica_and_keep_every_old_one_until_it_is_ready() {
        List<Replica> old = List.of(replica(1, 0, true), replica(1, 1, true), replica(1, 2, true));
        Step first = next(3, RolloutPolicy.DEFAULT, old, T0);
        assertThat(first.start()).isEqualTo(1);
        assertThat(first.stop()).isEmpty();
        assertThat(first.state()).isEqualTo(RolloutState.PROGRESSING);

        List<Replica> withNew = new ArrayList<>(old);
        withNew.add(replica(2, 3, false));
        assertThat(next(3, RolloutPolicy.DEFAULT, withNew, T0).stop()).isEmpty();
        assertThat(next(3, RolloutPolicy.DEFAULT, withNew, T0).start()).isZero();

        withNew.set(3, replica(2, 3, true));
        Step second = next(3, RolloutPolicy.DEFAULT, withNew, T0);
        assertThat(second.stop()).containsExactly(new UUID(1, 2));
        assertThat(second.ready()).isEqualTo(1);
    }

    @Test
    void simulated_rollouts_never_have_fewer_ready_than_desired_minus_max_unavailable_nor_more_than_desired_plus_surge() {
        for (int desired = 1; desired <= 6; desired++) {
            for (String surge : List.of("0", "1", "2", "25%", "100%")) {
                for (String unavailable : List.of("0", "1", "25%", "50%")) {
                    if (surge.equals("0") && unavailable.equals("0")) {
                        continue;
                    }
                    simulate(desired, new RolloutPolicy(surge, unavailable, 0, 600, true));
                }
            }
        }
    }

    /** New replicas become ready one step after they start; the rollout must end complete within a bound. */
    private static void simulate(int desired, RolloutPolicy policy) {
        List<Replica> replicas = new ArrayList<>();
        for (int i = 0; i < desired; i++) {
            replicas.add(replica(1, i, true));
        }
        int ordinal = desired;
        int minReady = desired - policy.maxUnavailable(desired);
        for (int round = 0; round < 100; round++) {
            Step step = next(desired, policy, replicas, T0);
            if (step.state() == RolloutState.COMPLETE) {
                assertThat(replicas).allMatch(r -> r.revision() == 2 && r.ready()).hasSize(desired);
                return;
            }
            replicas.removeIf(r -> step.stop().contains(r.id()));
            assertThat(replicas.stream().filter(Replica::ready).count()).as("ready after a step of %s on %d", policy,
                    desired).isGreaterThanOrEqualTo(minReady);
            replicas.replaceAll(r -> r.revision() == 2 ? replica(2, r.ordinal(), true) : r);
            for (int n = 0; n < step.start(); n++) {
                replicas.add(replica(2, ordinal++, false));
            }
            assertThat(replicas).as("desired running with %s on %d", policy, desired)
                    .hasSizeLessThanOrEqualTo(desired + policy.maxSurge(desired));
        }
        throw new AssertionError("no complete rollout of " + desired + " with " + policy);
    }

    @Test
    void an_old_replica_that_is_not_ready_goes_first_since_it_costs_no_availability() {
        List<Replica> replicas = List.of(replica(1, 0, true), replica(1, 1, false), replica(2, 2, true));
        Step step = next(2, new RolloutPolicy("1", "0", 0, 600, true), replicas, T0);
        assertThat(step.stop()).containsExactly(new UUID(1, 1));
    }

    @Test
    void a_new_replica_that_failed_for_good_fails_the_rollout_at_once_with_its_reason() {
        List<Replica> replicas = List.of(replica(1, 0, true),
                new Replica(new UUID(2, 1), 2, 1, false, "failed (cannot pull image: manifest unknown)"));
        Step step = next(1, RolloutPolicy.DEFAULT, replicas, T0);
        assertThat(step.state()).isEqualTo(RolloutState.FAILED);
        assertThat(step.reason()).contains("revision 2").contains("manifest unknown");
        assertThat(step.stop()).isEmpty();
    }

    @Test
    void a_rollout_without_progress_past_its_deadline_fails_and_not_before() {
        List<Replica> replicas = List.of(replica(1, 0, true), replica(2, 1, false));
        RolloutPolicy tenSeconds = new RolloutPolicy("1", "0", 0, 10, true);
        assertThat(next(1, tenSeconds, replicas, T0).state()).isEqualTo(RolloutState.PROGRESSING);
        Step late = next(1, tenSeconds, replicas, T0.minusSeconds(1));
        assertThat(late.state()).isEqualTo(RolloutState.FAILED);
        assertThat(late.reason()).contains("no progress for 10 s").contains("0 of 1");
    }

    @Test
    void percentages_round_like_kubernetes_and_a_zero_surge_still_lets_one_replica_go() {
        assertThat(RolloutPolicy.DEFAULT.maxSurge(3)).isEqualTo(1);
        assertThat(RolloutPolicy.DEFAULT.maxUnavailable(3)).isZero();
        assertThat(RolloutPolicy.DEFAULT.maxUnavailable(4)).isEqualTo(1);
        assertThat(new RolloutPolicy("0", "0", 0, 600, true).maxUnavailable(3)).isEqualTo(1);
        assertThat(RolloutPolicy.valid("25%")).isTrue();
        assertThat(RolloutPolicy.valid("101")).isFalse();
        assertThat(RolloutPolicy.valid("x")).isFalse();
    }

    @Test
    void a_complete_rollout_of_more_new_replicas_than_desired_stops_the_surplus() {
        List<Replica> replicas = List.of(replica(2, 0, true), replica(2, 1, true), replica(2, 2, true));
        Step step = next(2, RolloutPolicy.DEFAULT, replicas, T0);
        assertThat(step.stop()).containsExactly(new UUID(2, 2));
    }
}
