package dev.nanofleet.controlapi.rollout;

import dev.nanofleet.events.RolloutState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The next step of a rolling update, decided from what the replicas are now; pure, so each rule is tested alone
 * ({@code RolloutPlannerTest}). Kubernetes' Deployment controller is the model: never more than {@code desired +
 * maxSurge} replicas desired running, never fewer than {@code desired - maxUnavailable} ready; an old replica that is
 * not ready goes first, since stopping it costs no availability. Called again after every report and on a timer, so
 * it only ever says what to do next.
 */
public final class RolloutPlanner {

    private RolloutPlanner() {
    }

    /**
     * One replica desired running, as the planner sees it.
     *
     * @param ready healthy (or running for minReadySeconds without a health check)
     * @param failure why it cannot become ready any more (it failed or exited for good); null while it still may
     */
    public record Replica(UUID id, int revision, int ordinal, boolean ready, String failure) {
    }

    /**
     * @param target the revision to roll out
     * @param progressedAt when the rollout last made progress (started, a new replica became ready, an old one went)
     */
    public record Situation(int desired, int target, RolloutPolicy policy, List<Replica> replicas, Instant progressedAt,
            Instant now) {
    }

    /**
     * @param start how many replicas of the target revision to add now
     * @param stop the old (or failed) replicas to stop now
     * @param state PROGRESSING, COMPLETE or FAILED (the caller decides about rolling back)
     * @param updated replicas of the target revision desired running, once this step is taken
     * @param ready of those, the ready ones
     * @param reason why it failed; null otherwise
     */
    public record Step(int start, List<UUID> stop, RolloutState state, int updated, int ready, String reason) {
    }

    public static Step next(Situation s) {
        List<Replica> fresh = s.replicas().stream().filter(r -> r.revision() == s.target()).toList();
        List<Replica> old = s.replicas().stream().filter(r -> r.revision() != s.target()).toList();
        int readyNew = (int) fresh.stream().filter(Replica::ready).count();

        var failed = fresh.stream().filter(r -> r.failure() != null).findFirst();
        if (failed.isPresent()) {
            return new Step(0, List.of(), RolloutState.FAILED, fresh.size(), readyNew,
                    "replica " + failed.get().id() + " of revision " + s.target() + " failed: "
                            + failed.get().failure());
        }
        if (fresh.size() == s.desired() && readyNew == s.desired() && old.isEmpty()) {
            return new Step(0, List.of(), RolloutState.COMPLETE, fresh.size(), readyNew, null);
        }
        Duration deadline = Duration.ofSeconds(s.policy().progressDeadlineSeconds());
        if (s.progressedAt() != null && Duration.between(s.progressedAt(), s.now()).compareTo(deadline) > 0) {
            return new Step(0, List.of(), RolloutState.FAILED, fresh.size(), readyNew,
                    "no progress for " + deadline.toSeconds() + " s (progressDeadlineSeconds): " + readyNew + " of "
                            + s.desired() + " replicas of revision " + s.target() + " ready");
        }

        int maxSurge = s.policy().maxSurge(s.desired());
        int minAvailable = s.desired() - s.policy().maxUnavailable(s.desired());
        int total = s.replicas().size();
        int start = Math.max(0, Math.min(s.desired() + maxSurge - total, s.desired() - fresh.size()));

        // never fewer than minAvailable ready; a replica not ready can go without lowering that
        List<UUID> stop = new ArrayList<>();
        int available = readyNew + (int) old.stream().filter(Replica::ready).count();
        int newUnavailable = fresh.size() - readyNew;
        int removable = total - minAvailable - newUnavailable;
        for (Replica r : old.stream().sorted(Comparator.comparing(Replica::ready).thenComparing(Replica::ordinal,
                Comparator.reverseOrder())).toList()) {
            if (!r.ready() && removable > 0) {
                stop.add(r.id());
                removable--;
            } else if (r.ready() && available - 1 >= minAvailable && removable > 0) {
                stop.add(r.id());
                available--;
                removable--;
            }
        }
        // more of the target revision than desired (scaled down meanwhile): the highest ordinals go
        int surplus = fresh.size() - s.desired();
        if (surplus > 0 && old.isEmpty()) {
            fresh.stream().sorted(Comparator.comparing(Replica::ready).thenComparing(Replica::ordinal,
                    Comparator.reverseOrder())).limit(surplus).forEach(r -> stop.add(r.id()));
        }
        return new Step(start, List.copyOf(stop), RolloutState.PROGRESSING, fresh.size() + start, readyNew, null);
    }
}
