package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "restart", mixinStandardHelpOptions = true, description = "Replace every replica one by one with the same spec (a new revision, rolled out under the rollout policy).", footer = {
        "", "Examples:", "  nanofleet restart web --wait"})
final class RestartCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Mixin
    WaitOptions wait;

    @Parameters(paramLabel = "ID|NAME")
    String deployment;

    private final CliContext ctx;

    RestartCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ApiClient api = global.api(ctx);
        JsonNode d = api.post("/v1/deployments/" + Deployments.id(api, deployment) + "/restart");
        return Lifecycle.rollOut(ctx, global, wait, api, d, "Deployment " + d.path("name").asText() + ": revision "
                + d.path("revision").asInt() + " replaces every replica one by one.");
    }
}
