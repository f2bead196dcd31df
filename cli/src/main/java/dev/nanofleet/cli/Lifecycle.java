package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** What the lifecycle commands (update, rollback, stop, start, restart, revisions) share. */
final class Lifecycle {

    private Lifecycle() {
    }

    /** What revision {@code number} changed, in words, from GET /v1/deployments/{id}/revisions. */
    static String changedIn(ApiClient api, String id, int number) {
        for (JsonNode r : api.get("/v1/deployments/" + id + "/revisions")) {
            if (r.path("revision").asInt() == number) {
                return changes(r);
            }
        }
        return "revision " + number;
    }

    /** A revision's changes in a few words: {@code image}, {@code env, resources}, {@code back to revision 1}. */
    static String changes(JsonNode revision) {
        String cause = revision.path("cause").asText();
        return switch (cause) {
            case "create" -> "created";
            case "restart" -> "restart: every replica replaced";
            case "rollback", "auto-rollback" -> (cause.equals("auto-rollback") ? "automatic rollback" : "rollback")
                    + " to revision " + revision.path("rollbackOf").asText("?");
            default -> {
                List<String> changed = new ArrayList<>();
                revision.path("changed").forEach(c -> changed.add(c.asText()));
                yield changed.isEmpty() ? "no change" : String.join(", ", changed);
            }
        };
    }

    /** The deployment with only the replicas desired running: what a finished rollout left, without the ended. */
    static JsonNode running(JsonNode deployment) {
        ObjectNode copy = deployment.deepCopy();
        ArrayNode instances = copy.putArray("instances");
        deployment.path("instances").forEach(i -> {
            if ("running".equalsIgnoreCase(i.path("desiredState").asText())) {
                instances.add(i);
            }
        });
        return copy;
    }

    /**
     * Says what began (unless the output is JSON), follows the deployment's rollout when {@code --wait} asks, and shows
     * its running replicas once it is done: the tail of every command that rolls a revision out.
     */
    static int rollOut(CliContext ctx, GlobalOptions global, WaitOptions wait, ApiClient api, JsonNode d,
            String began) {
        Renderer r = global.renderer(ctx);
        if (!r.json()) {
            r.line(began);
            ctx.out().flush();
        }
        JsonNode last = wait.follow(ctx, api, d, WaitOptions.revisionOf(d));
        r.render(last, () -> {
            if (wait.await) {
                StatusCommand.printInstances(r, running(last));
            }
        });
        return ExitCodes.OK;
    }
}
