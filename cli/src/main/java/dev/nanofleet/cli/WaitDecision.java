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
 * What {@code deploy --wait} makes of one snapshot of a deployment (GET /v1/deployments/{id}): go on polling, done
 * (every replica running), or failed with the reason. Pure, so every case is a unit test.
 *
 * <p>
 * States are compared in lower case, as control-api writes them; an older control-api wrote them in upper case, and the
 * CLI reads both.
 *
 * <p>
 * A deployment lists ended replicas next to their replacements (their output stays readable), and replicas being
 * stopped by a scale-down: per ordinal below {@code replicas} only the current replica counts, the one the control plane
 * wants running, else the newest.
 */
public sealed interface WaitDecision {

    /** Not there yet; {@code progress} says where each replica is, e.g. {@code 1/2 running: #0 running, #1 pulling}. */
    record Continue(String progress) implements WaitDecision {
    }

    record Done(String summary) implements WaitDecision {
    }

    record Failed(String reason) implements WaitDecision {
    }

    Set<String> FAILED_STATES = Set.of("failed", "unschedulable", "exited");

    static WaitDecision of(JsonNode deployment) {
        if (deployment.hasNonNull("deletedAt")) {
            return new Failed("the deployment was deleted");
        }
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
