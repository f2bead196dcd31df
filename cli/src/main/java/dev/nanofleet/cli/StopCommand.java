package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "stop", mixinStandardHelpOptions = true, description = {
        "Stop every replica of a deployment and free its capacity; nothing is billed for compute while it is "
                + "stopped.",
        "Its spec, revisions and logs stay: `nanofleet start` brings the same revision back."}, footer = {"",
                "Examples:", "  nanofleet stop web --wait", "  nanofleet start web --wait"})
final class StopCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Mixin
    WaitOptions wait;

    @Parameters(paramLabel = "ID|NAME")
    String deployment;

    private final CliContext ctx;

    StopCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ApiClient api = global.api(ctx);
        JsonNode d = api.post("/v1/deployments/" + Deployments.id(api, deployment) + "/stop");
        Renderer r = global.renderer(ctx);
        String name = d.path("name").asText();
        if (!r.json()) {
            r.line("Deployment " + name + ": stopping (revision " + d.path("revision").asInt() + " stays; `nanofleet "
                    + "start " + name + "` brings it back).");
            ctx.out().flush();
        }
        JsonNode last = wait.follow(ctx, api, d, new WaitDecision.Stopped());
        r.render(last, () -> {
            if (wait.await) {
                r.line("Deployment " + name + ": stopped.");
            }
        });
        return ExitCodes.OK;
    }
}
