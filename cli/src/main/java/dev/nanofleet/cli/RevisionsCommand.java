package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "revisions", mixinStandardHelpOptions = true, description = "A deployment's revisions, newest first: which runs now (*), why each was made, by whom, when, and what it changed.", footer = {
        "", "Examples:", "  nanofleet revisions web", "  nanofleet revisions web --json | jq '.[0].diff'"})
final class RevisionsCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "ID|NAME")
    String deployment;

    private final CliContext ctx;

    RevisionsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ApiClient api = global.api(ctx);
        JsonNode revisions = api.get("/v1/deployments/" + Deployments.id(api, deployment) + "/revisions");
        Renderer r = global.renderer(ctx);
        r.render(revisions, () -> r.table(List.of("REVISION", "CURRENT", "CAUSE", "ACTOR", "CREATED", "CHANGES"),
                rows(revisions)));
        return ExitCodes.OK;
    }

    static List<List<String>> rows(JsonNode revisions) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode rev : revisions) {
            String cause = rev.path("cause").asText();
            if (rev.hasNonNull("rollbackOf")) {
                cause += " to " + rev.get("rollbackOf").asInt();
            }
            rows.add(List.of(rev.path("revision").asText(), rev.path("current").asBoolean() ? "*" : "", cause,
                    rev.hasNonNull("actor") ? rev.get("actor").asText() : "(platform)", rev.path("createdAt").asText(),
                    changes(rev)));
        }
        return rows;
    }

    /** The diff in a line: {@code image reg/web:1 -> reg/web:2; env}; values only for short scalars. */
    static String changes(JsonNode revision) {
        List<String> parts = new ArrayList<>();
        for (JsonNode change : revision.path("diff")) {
            String field = change.path("field").asText();
            JsonNode from = change.path("from");
            JsonNode to = change.path("to");
            boolean unset = (from.isMissingNode() || from.isNull()) && (to.isMissingNode() || to.isNull());
            if (!unset && scalar(from) && scalar(to)) {
                parts.add(field + " " + value(from) + " -> " + value(to));
            } else {
                parts.add(field);
            }
        }
        if (parts.isEmpty()) {
            return "create".equals(revision.path("cause").asText())
                    ? "created"
                    : "restart".equals(revision.path("cause").asText()) ? "every replica replaced" : "";
        }
        return String.join("; ", parts);
    }

    private static boolean scalar(JsonNode v) {
        return v.isMissingNode() || v.isNull() || v.isValueNode() && v.asText().length() <= 60;
    }

    private static String value(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? "(none)" : v.asText();
    }
}
