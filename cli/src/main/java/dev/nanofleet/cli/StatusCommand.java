package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a deployment and where each of its replicas is.", footer = {
        "", "Examples:", "  nanofleet status hello", "  nanofleet status 3f0c2a8e-... --json"})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "ID|NAME")
    String deployment;

    private final CliContext ctx;

    StatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ApiClient api = global.api(ctx);
        // a name resolves through the list; the single GET is the authoritative, full view
        JsonNode d = api.get("/v1/deployments/" + Deployments.id(api, deployment));
        Renderer r = global.renderer(ctx);
        r.render(d, () -> {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("name", Renderer.text(d, "name"));
            f.put("id", Renderer.text(d, "id"));
            f.put("image", Renderer.text(d, "image"));
            f.put("replicas", Renderer.text(d, "replicas"));
            f.put("resources", d.path("resources").path("cpuMillis").asText() + "m CPU, "
                    + d.path("resources").path("memoryMiB").asText() + " MiB");
            f.put("isolation", Renderer.text(d, "isolation"));
            if (!d.path("ports").isEmpty()) {
                f.put("ports", ports(d));
            }
            f.put("created", Renderer.text(d, "createdAt"));
            if (d.hasNonNull("deletedAt")) {
                f.put("deleted", Renderer.text(d, "deletedAt"));
            }
            r.fields(f);
            r.line("");
            printInstances(r, d);
        });
        return ExitCodes.OK;
    }

    /**
     * {@code 8080/http, 5432/tcp edge port 20000}: the edge port is where a tcp port is reached on the edge's address
     * (e.g. {@code nc <edge address> 20000}).
     */
    static String ports(JsonNode deployment) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : deployment.path("ports")) {
            String protocol = p.path("protocol").asText("http");
            String port = p.path("containerPort").asText() + "/" + protocol;
            if ("tcp".equals(protocol)) {
                port += p.hasNonNull("edgePort") ? " edge port " + p.get("edgePort").asText() : " no edge port";
            }
            out.add(port);
        }
        return String.join(", ", out);
    }

    static void printInstances(Renderer r, JsonNode deployment) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode i : deployment.path("instances")) {
            List<String> ports = new ArrayList<>();
            i.path("network").path("ports").forEach(p -> ports.add(p.path("hostPort").asText() + "->" + p.path(
                    "containerPort").asText()));
            rows.add(List.of("#" + i.path("ordinal").asText(), i.path("id").asText(), i.path("state").asText(),
                    text(i, "node"), text(i, "isolation"), text(i.path("network"), "address"), String.join(",", ports),
                    i.path("restarts").asText("0"), reason(i)));
        }
        r.table(List.of("REPLICA", "INSTANCE", "STATE", "NODE", "ISOLATION", "ADDRESS", "PORTS", "RESTARTS", "REASON"),
                rows);
    }

    private static String text(JsonNode node, String field) {
        String v = Renderer.text(node, field);
        return v == null ? "" : v;
    }

    private static String reason(JsonNode instance) {
        String reason = text(instance, "reason");
        return instance.hasNonNull("exitCode")
                ? ("exit " + instance.get("exitCode").asInt() + (reason.isEmpty()
                        ? ""
                        : " " + reason))
                : reason;
    }
}
