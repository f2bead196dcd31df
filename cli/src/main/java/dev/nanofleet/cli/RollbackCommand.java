package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", mixinStandardHelpOptions = true, description = {
        "Run an earlier revision's spec again (default: the one before the current), as a new revision rolled out "
                + "like any change.",
        "`nanofleet revisions NAME` lists them."}, footer = {"", "Examples:", "  nanofleet rollback web --wait",
                "  nanofleet rollback web 3"})
final class RollbackCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Mixin
    WaitOptions wait;

    @Parameters(index = "0", paramLabel = "ID|NAME")
    String deployment;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REVISION", description = "The revision to return to.")
    Integer revision;

    private final CliContext ctx;

    RollbackCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ApiClient api = global.api(ctx);
        String id = Deployments.id(api, deployment);
        JsonNode d = api.post("/v1/deployments/" + id + "/rollback", revision == null
                ? Map.of()
                : Map.of("revision", revision));
        return Lifecycle.rollOut(ctx, global, wait, api, d, "Deployment " + d.path("name").asText() + ": revision "
                + d.path("revision").asInt() + " rolling out ("
                + Lifecycle.changedIn(api, id, d.path("revision").asInt())
                + ").");
    }
}
