package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "scale", mixinStandardHelpOptions = true, description = "Change how many replicas a deployment runs.", footer = {
        "", "Examples:", "  nanofleet scale hello 3", "  nanofleet scale hello 0"})
final class ScaleCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "ID|NAME")
    String deployment;

    @Parameters(index = "1", paramLabel = "N")
    int replicas;

    private final CliContext ctx;

    ScaleCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ApiClient api = global.api(ctx);
        JsonNode d = api.patch("/v1/deployments/" + Deployments.id(api, deployment), Map.of("replicas", replicas));
        Renderer r = global.renderer(ctx);
        r.render(d, () -> r.line("Scaled " + d.path("name").asText() + " to " + d.path("replicas").asInt()
                + " replicas."));
        return ExitCodes.OK;
    }
}
