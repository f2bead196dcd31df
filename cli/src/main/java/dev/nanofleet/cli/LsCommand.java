package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List your deployments.", footer = {
        "", "Examples:", "  nanofleet ls", "  nanofleet ls --json | jq -r '.[].name'"})
final class LsCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    private final CliContext ctx;

    LsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        JsonNode deployments = global.api(ctx).get("/v1/deployments");
        Renderer r = global.renderer(ctx);
        r.render(deployments,
                () -> r.table(List.of("NAME", "ID", "RUNNING", "ISOLATION", "IMAGE", "EDGE TCP", "CREATED"),
                        rows(deployments)));
        return ExitCodes.OK;
    }

    static List<List<String>> rows(JsonNode deployments) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode d : deployments) {
            rows.add(List.of(d.path("name").asText(), d.path("id").asText(), running(d) + "/" + d.path("replicas")
                    .asInt(), d.path("isolation").asText(), d.path("image").asText(), PortFlag.edgePorts(d),
                    d.path("createdAt").asText()));
        }
        return rows;
    }

    private static long running(JsonNode deployment) {
        long n = 0;
        for (JsonNode i : deployment.path("instances")) {
            if ("running".equalsIgnoreCase(i.path("state").asText())) {
                n++;
            }
        }
        return n;
    }
}
