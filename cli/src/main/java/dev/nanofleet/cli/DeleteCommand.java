package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = {
        "Delete a deployment: its replicas are stopped.",
        "Asks first when stdin is a terminal; scripts pass --yes."}, footer = {"", "Examples:",
                "  nanofleet delete hello", "  nanofleet delete hello --yes"})
final class DeleteCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "ID|NAME")
    String deployment;

    @Option(names = {"-y", "--yes"}, description = "Do not ask.")
    boolean yes;

    private final CliContext ctx;

    DeleteCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        ApiClient api = global.api(ctx);
        JsonNode d = Deployments.resolve(api, deployment);
        String id = d.path("id").asText();
        String name = d.path("name").asText();
        if (!yes) {
            if (!ctx.interactive()) {
                throw new CliException(ExitCodes.USAGE, "refusing to delete " + name
                        + " without --yes: stdin is not a terminal to ask on");
            }
            ctx.err().print("Delete deployment " + name + " (" + id + ") and stop its replicas? [y/N] ");
            ctx.err().flush();
            String answer = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
                ctx.err().println("Not deleted.");
                return ExitCodes.OK;
            }
        }
        JsonNode answer = api.delete("/v1/deployments/" + id);
        Renderer r = global.renderer(ctx);
        r.render(answer, () -> r.line("Deleting " + name + " (" + id + ")."));
        return ExitCodes.OK;
    }
}
