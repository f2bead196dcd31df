package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "start", mixinStandardHelpOptions = true, description = "Bring a stopped deployment's revision back, placed anew.", footer = {
        "", "Examples:", "  nanofleet start web --wait"})
final class StartCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Mixin
    WaitOptions wait;

    @Parameters(paramLabel = "ID|NAME")
    String deployment;

    private final CliContext ctx;

    StartCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ApiClient api = global.api(ctx);
        JsonNode d = api.post("/v1/deployments/" + Deployments.id(api, deployment) + "/start");
        return Lifecycle.rollOut(ctx, global, wait, api, d,
                "Deployment " + d.path("name").asText() + ": starting revision "
                        + d.path("revision").asInt() + " (" + d.path("replicas").asInt() + " replicas).");
    }
}
