package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true, description = {"Print a replica's output (stdout and stderr).",
        "Without --instance: replica #0. Ended replicas stay readable while their deployment exists."}, footer = {"",
                "Examples:", "  nanofleet logs hello", "  nanofleet logs hello -f --tail 10",
                "  nanofleet logs hello --instance 2"})
final class LogsCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "ID|NAME")
    String deployment;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until interrupted.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (the API's default: 100).")
    Integer tail;

    @Option(names = "--instance", paramLabel = "ORDINAL", defaultValue = "0", description = "Which replica (default: 0).")
    int ordinal;

    private final CliContext ctx;

    LogsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        ApiClient api = global.api(ctx);
        JsonNode d = api.get("/v1/deployments/" + Deployments.id(api, deployment));
        String instance = instanceOf(d, ordinal);
        StringBuilder path = new StringBuilder("/v1/instances/" + instance + "/logs");
        List<String> query = new ArrayList<>();
        if (tail != null) {
            query.add("tail=" + tail);
        }
        if (follow) {
            query.add("follow=true");
        }
        if (!query.isEmpty()) {
            path.append('?').append(String.join("&", query));
        }
        print(ctx, api, path.toString());
        return ExitCodes.OK;
    }

    /** Prints a text stream (a log, tailed or followed) as it arrives. */
    static void print(CliContext ctx, ApiClient api, String path) throws IOException {
        try (InputStream stream = api.stream(path);
                Reader text = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            for (int n = text.read(buffer); n >= 0; n = text.read(buffer)) {
                ctx.out().write(buffer, 0, n);
                // a followed stream is read as it arrives, so show it as it arrives
                ctx.out().flush();
            }
        }
    }

    /** The replica with that ordinal: the one meant to run if there is one, else the newest ended one. */
    static String instanceOf(JsonNode deployment, int ordinal) {
        List<JsonNode> candidates = new ArrayList<>();
        deployment.path("instances").forEach(i -> {
            if (i.path("ordinal").asInt(-1) == ordinal) {
                candidates.add(i);
            }
        });
        return candidates.stream().filter(i -> "running".equalsIgnoreCase(i.path("desiredState").asText())).findFirst()
                .or(() -> candidates.stream().max(Comparator.comparing(i -> i.path("updatedAt").asText(""))))
                .map(i -> i.path("id").asText())
                .orElseThrow(() -> new CliException(ExitCodes.API_ERROR, "deployment " + deployment.path("name")
                        .asText() + " has no replica #" + ordinal));
    }
}
