package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "usage", mixinStandardHelpOptions = true, description = {
        "This billing period's usage so far (tenant-billing): its cost, the free grant's credit, and per deployment, "
                + "isolation mode and UTC day the reserved (billed) and used (measured, not billed) vCPU- and "
                + "GiB-seconds.",
        "--forecast: what the period will cost at the current rate."}, footer = {"", "Examples:",
                "  nanofleet usage", "  nanofleet usage --forecast", "  nanofleet usage --json | jq .cost"})
final class UsageCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Option(names = "--forecast", description = "Show the cost so far, the cost per hour now, and the period's projected total and amount due.")
    boolean forecast;

    private final CliContext ctx;

    UsageCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ApiClient billing = global.billing(ctx);
        Renderer r = global.renderer(ctx);
        if (forecast) {
            JsonNode f = billing.get("/v1/usage/forecast");
            r.render(f, () -> printForecast(r, f));
        } else {
            JsonNode usage = billing.get("/v1/usage");
            r.render(usage, () -> printUsage(r, usage));
        }
        return ExitCodes.OK;
    }

    static void printUsage(Renderer r, JsonNode usage) {
        String currency = Renderer.text(usage, "currency");
        r.line("Period " + Billing.period(usage.path("period")) + " as of " + Renderer.text(usage, "asOf")
                + ": cost " + Billing.money(usage, "cost", currency) + ", free grant credit "
                + Billing.money(usage, "freeGrantCredit", currency) + ".");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : usage.path("rows")) {
            String name = Renderer.text(row, "deploymentName");
            rows.add(Arrays.asList(name != null ? name : Renderer.text(row, "deploymentId"),
                    Renderer.text(row, "isolation"), Renderer.text(row, "day"),
                    Renderer.text(row, "reservedVcpuSeconds"), Renderer.text(row, "reservedGibSeconds"),
                    Renderer.text(row, "usedVcpuSeconds"), Renderer.text(row, "usedGibSeconds"),
                    Renderer.text(row, "cost")));
        }
        r.table(List.of("DEPLOYMENT", "ISOLATION", "DAY", "RESERVED VCPU-S", "RESERVED GIB-S", "USED VCPU-S",
                "USED GIB-S", "COST"), rows);
    }

    static void printForecast(Renderer r, JsonNode f) {
        String currency = Renderer.text(f, "currency");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("period", Billing.period(f.path("period")));
        fields.put("as of", Renderer.text(f, "asOf"));
        fields.put("so far", Billing.money(f, "soFar", currency));
        fields.put("per hour", Billing.money(f, "perHour", currency));
        fields.put("projected", Billing.money(f, "projected", currency));
        fields.put("amount due projected", Billing.money(f, "amountDueProjected", currency));
        r.fields(fields);
    }
}
