package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "quota", mixinStandardHelpOptions = true, description = "Show your tenant's quotas and how much of each is used, per isolation mode.", footer = {
        "", "Examples:", "  nanofleet quota", "  nanofleet quota --tenant acme   # operators"})
final class QuotaCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Option(names = "--tenant", description = "Another tenant's (operators); default: your own.")
    String tenant;

    private final CliContext ctx;

    QuotaCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ApiClient api = global.api(ctx);
        String id = tenant;
        if (id == null) {
            id = Renderer.text(api.get("/v1/me"), "tenant");
            if (id == null) {
                throw new CliException(ExitCodes.USAGE, "you belong to no tenant; name one with --tenant");
            }
        }
        JsonNode usage = api.get("/v1/tenants/" + ApiClient.segment(id) + "/usage");
        Renderer r = global.renderer(ctx);
        r.render(usage, () -> {
            r.line("tenant " + usage.path("tenant").asText());
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode q : usage.path("quotas")) {
                rows.add(List.of(q.path("isolation").asText(), q.path("resource").asText(), q.path("used").asText(), q
                        .path("limit").asText()));
            }
            r.table(List.of("ISOLATION", "RESOURCE", "USED", "LIMIT"), rows);
            String hold = Billing.spendHold(usage);
            if (hold != null) {
                r.line(hold);
            }
        });
        return ExitCodes.OK;
    }
}
