package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code --wait} makes of one snapshot of a deployment (GET /v1/deployments/{id}): go on polling, done, or failed
 * with the reason. Pure, so every case is a unit test.
 *
 * <p>
 * Waiting for a deployment to run ({@link Goal.Running}): when the deployment shows a {@code rollout}, the control plane
 * judges readiness (health checks, minReadySeconds) and the wait follows it: done when the rollout of the revision
 * waited for is complete, failed when it failed or was cancelled, and {@link Superseded} when a newer revision took
 * over (the caller reads the revisions to say why, see {@link #superseded}). An older control-api without rollouts is
 * judged per ordinal below {@code replicas}, as before: only the current replica of each ordinal counts, the one the
 * control plane wants running, else the newest.
 *
 * <p>
 * States are compared in lower case, as control-api writes them; an older control-api wrote them in upper case, and the
 * CLI reads both.
 */
public sealed interface WaitDecision {

    /** Not there yet; {@code progress} says where each replica is, e.g. {@code 1/2 running: #0 running, #1 pulling}. */
    record Continue(String progress) implements WaitDecision {
    }

    record Done(String summary) implements WaitDecision {
    }

    record Failed(String reason) implements WaitDecision {
    }

    /** The deployment moved on to {@code revision}, newer than the one waited for; why is in its revisions. */
    record Superseded(int revision) implements WaitDecision {
    }

    /** What a wait waits for. */
    sealed interface Goal {
    }

    /**
     * Every replica of {@code revision} running and ready; null for whichever revision the deployment rolls out (or
     * an older control-api that has no revisions).
     */
    record Running(Integer revision) implements Goal {
    }

    /** No replica runs any more (a stop). */
    record Stopped() implements Goal {
    }

    /** States a replica the scheduler placed nowhere, or that ended, stays in: none of them runs anything. */
    Set<String> FAILED_STATES = Set.of("failed", "unschedulable", "exited");
    Set<String> ENDED_STATES = Set.of("stopped", "exited", "failed", "unschedulable");

    /** {@code deploy --wait} against any control-api: every replica running. */
    static WaitDecision of(JsonNode deployment) {
        return of(deployment, new Running(null));
    }

    static WaitDecision of(JsonNode deployment, Goal goal) {
        if (deployment.hasNonNull("deletedAt")) {
            return new Failed("the deployment was deleted");
        }
        return switch (goal) {
            case Stopped s -> stopped(deployment);
            case Running running -> deployment.path("rollout").isObject()
                    ? rollout(deployment, running.revision())
                    : perOrdinal(deployment);
        };
    }

    /**
     * Why the revision waited for is no longer the deployment's: an automatic rollback (with the failure, read from
     * the replicas of the failed revision the deployment still lists), or a change made by someone else.
     *
     * @param revisions GET /v1/deployments/{id}/revisions, newest first
     */
    static Failed superseded(JsonNode deployment, int waitedFor, JsonNode revisions) {
        JsonNode next = null;
        for (JsonNode r : revisions) {
            if (r.path("revision").asInt() > waitedFor && (next == null || r.path("revision").asInt() < next.path(
                    "revision").asInt())) {
                next = r;
            }
        }
        if (next == null) {
            return new Failed("revision " + waitedFor + " is no longer the deployment's");
        }
        int number = next.path("revision").asInt();
        String cause = next.path("cause").asText();
        if ("auto-rollback".equals(cause)) {
            return new Failed("revision " + waitedFor + " was rolled back to " + next.path("rollbackOf").asText("?")
                    + ": " + failureOf(deployment, waitedFor));
        }
        String actor = next.hasNonNull("actor") ? " by " + next.get("actor").asText() : "";
        return new Failed("revision " + waitedFor + " was replaced by revision " + number + " (" + cause + actor
                + ") while waiting for it");
    }

    private static WaitDecision rollout(JsonNode deployment, Integer waitedFor) {
        JsonNode rollout = deployment.path("rollout");
        int revision = rollout.path("revision").asInt();
        int target = waitedFor == null ? revision : waitedFor;
        if (revision > target) {
            return new Superseded(revision);
        }
        if (deployment.hasNonNull("stoppedAt")) {
            return new Failed("the deployment was stopped");
        }
        List<JsonNode> fresh = new ArrayList<>();
        int older = 0;
        for (JsonNode i : deployment.path("instances")) {
            if (!"running".equalsIgnoreCase(i.path("desiredState").asText())) {
                continue;
            }
            if (i.path("revision").asInt() == target) {
                fresh.add(i);
            } else {
                older++;
            }
        }
        fresh.sort(Comparator.comparingInt(i -> i.path("ordinal").asInt()));
        int desired = rollout.path("desired").asInt(deployment.path("replicas").asInt());
        String state = rollout.path("state").asText().toLowerCase(Locale.ROOT);
        String reason = rollout.hasNonNull("reason") ? ": " + rollout.get("reason").asText() : "";
        if (revision == target) {
            switch (state) {
                case "failed" -> {
                    return new Failed("the rollout of revision " + target + " failed" + reason);
                }
                case "cancelled" -> {
                    return new Failed("the rollout of revision " + target + " was cancelled" + reason);
                }
                case "rolled-back" -> {
                    return new Failed("revision " + target + " was rolled back" + reason);
                }
                default -> {
                }
            }
        }
        // a replica no node can hold waits until the progress deadline: say so now, as deploy --wait always did
        for (JsonNode i : fresh) {
            if ("unschedulable".equalsIgnoreCase(i.path("state").asText())) {
                return new Failed("replica #" + i.path("ordinal").asInt() + " is unschedulable" + reasonOf(i));
            }
        }
        long running = fresh.stream().filter(i -> "running".equalsIgnoreCase(i.path("state").asText())).count();
        String counts = "revision " + target + ": " + rollout.path("updated").asInt() + "/" + desired + " updated, "
                + rollout.path("ready").asInt() + "/" + desired + " ready";
        List<String> where = new ArrayList<>();
        for (JsonNode i : fresh) {
            String health = i.path("health").asText("");
            where.add("#" + i.path("ordinal").asInt() + " " + i.path("state").asText("pending").toLowerCase(
                    Locale.ROOT)
                    + (health.isEmpty() || "null".equals(health) || "healthy".equals(health)
                            ? ""
                            : " (" + health + ")"));
        }
        // complete, and (after a scale-up, which is no new rollout) every replica of the revision runs
        if (revision == target && "complete".equals(state) && running >= desired) {
            return new Done("revision " + target + " rolled out: " + running + "/" + desired + " running: "
                    + String.join(", ", where));
        }
        String progress = counts + (where.isEmpty() ? "" : ": " + String.join(", ", where));
        return new Continue(older == 0 ? progress : progress + "; " + older + " of older revisions running");
    }

    private static WaitDecision stopped(JsonNode deployment) {
        // the API leaves stoppedAt out while the deployment runs
        if (!deployment.hasNonNull("stoppedAt")) {
            return new Failed("the deployment was started again");
        }
        List<String> busy = new ArrayList<>();
        int total = 0;
        for (JsonNode i : deployment.path("instances")) {
            String state = i.path("state").asText().toLowerCase(Locale.ROOT);
            if (ENDED_STATES.contains(state)) {
                continue;
            }
            total++;
            busy.add("#" + i.path("ordinal").asInt() + " " + state);
        }
        return busy.isEmpty()
                ? new Done("every replica stopped")
                : new Continue(total + (total == 1 ? " replica" : " replicas") + " still to stop: " + String.join(", ",
                        busy));
    }

    private static WaitDecision perOrdinal(JsonNode deployment) {
        int replicas = deployment.path("replicas").asInt();
        Map<Integer, JsonNode> current = new TreeMap<>();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            currentReplica(deployment, ordinal).ifPresent(i -> current.put(i.path("ordinal").asInt(), i));
        }
        List<String> states = new ArrayList<>();
        int running = 0;
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            JsonNode instance = current.get(ordinal);
            String state = instance == null
                    ? "pending"
                    : instance.path("state").asText("pending").toLowerCase(Locale.ROOT);
            states.add("#" + ordinal + " " + state);
            if (instance != null && FAILED_STATES.contains(state)) {
                return new Failed("replica #" + ordinal + " is " + state + reasonOf(instance));
            }
            if ("running".equals(state)) {
                running++;
            }
        }
        String progress = running + "/" + replicas + " running: " + String.join(", ", states);
        return running == replicas ? new Done(progress) : new Continue(progress);
    }

    private static Optional<JsonNode> currentReplica(JsonNode deployment, int ordinal) {
        List<JsonNode> candidates = new ArrayList<>();
        deployment.path("instances").forEach(i -> {
            if (i.path("ordinal").asInt(-1) == ordinal
                    && !"stopped".equalsIgnoreCase(i.path("desiredState").asText())) {
                candidates.add(i);
            }
        });
        return candidates.stream().filter(i -> "running".equalsIgnoreCase(i.path("desiredState").asText())).findFirst()
                .or(() -> candidates.stream().max(Comparator.comparing(i -> i.path("updatedAt").asText(""))));
    }

    /** The failure of a revision's rollout, from its replicas: one that failed or exited, else the deadline. */
    private static String failureOf(JsonNode deployment, int revision) {
        for (JsonNode i : deployment.path("instances")) {
            String state = i.path("state").asText().toLowerCase(Locale.ROOT);
            if (i.path("revision").asInt() == revision && ("failed".equals(state) || "exited".equals(state))) {
                return "replica #" + i.path("ordinal").asInt() + " " + state + reasonOf(i);
            }
        }
        JsonNode deadline = deployment.path("rolloutPolicy").path("progressDeadlineSeconds");
        return "it made no progress for " + (deadline.isNumber() ? deadline.asInt() + " s" : "its deadline")
                + " (progressDeadlineSeconds)";
    }

    private static String reasonOf(JsonNode instance) {
        StringBuilder text = new StringBuilder();
        if (instance.hasNonNull("exitCode")) {
            text.append(" (exit code ").append(instance.get("exitCode").asInt()).append(')');
        }
        if (instance.hasNonNull("reason") && !instance.get("reason").asText().isBlank()) {
            text.append(": ").append(instance.get("reason").asText());
        }
        return text.toString();
    }
}
