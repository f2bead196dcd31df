package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "spend-limit", mixinStandardHelpOptions = true, description = {
        "Your tenant's monthly spend limit (tenant-billing): the limit, whether it is hard, its alert thresholds, "
                + "the spend this period, the alerts sent and since when a hard limit holds the tenant.",
        "A hard limit, once reached, stops the tenant's deployments and refuses what would spend more until it is "
                + "raised or the period ends.",
        "set and remove need an admin-scoped login or token."}, subcommands = {SpendLimitCommand.Set.class,
                SpendLimitCommand.Remove.class}, footer = {"", "Examples:", "  nanofleet spend-limit",
                        "  nanofleet spend-limit set 50", "  nanofleet spend-limit set 120.50 --soft --alert 50,80,100",
                        "  nanofleet spend-limit remove"})
final class SpendLimitCommand implements Callable<Integer> {

    static final String PATH = "/v1/spend-limit";

    @Mixin
    GlobalOptions global;

    private final CliContext ctx;

    SpendLimitCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        JsonNode status = global.billing(ctx).get(PATH);
        Renderer r = global.renderer(ctx);
        r.render(status, () -> print(r, status));
        return ExitCodes.OK;
    }

    static void print(Renderer r, JsonNode status) {
        if (status == null) {
            return;
        }
        JsonNode limit = status.path("limit");
        boolean set = limit.isObject();
        String currency = set ? Renderer.text(limit, "currency") : null;
        Map<String, String> f = new LinkedHashMap<>();
        f.put("limit", set ? Billing.money(limit, "amount", currency) : "none");
        f.put("hard", set
                ? limit.path("hard").asBoolean()
                        ? "yes: reaching it stops the deployments"
                        : "no: reaching it only alerts"
                : null);
        f.put("alert at", set ? Billing.percentages(limit.path("alertThresholds")) : null);
        f.put("period", Billing.period(status.path("period")));
        f.put("spend", Billing.money(status, "spend", currency));
        f.put("alerts sent", Billing.percentages(status.path("alertsSent")));
        f.put("held since", Renderer.text(status, "heldSince"));
        r.fields(f);
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = {
            "Set the monthly spend limit, in the tenant's currency (at most 2 decimals).",
            "It is hard unless --soft: reaching a hard limit stops the deployments. It is checked at once: a raised "
                    + "limit lifts a hold, a lowered one may impose it."}, footer = {"", "Examples:",
                            "  nanofleet spend-limit set 50",
                            "  nanofleet spend-limit set 120.50 --soft --alert 50,80,100"})
    static final class Set implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Parameters(paramLabel = "AMOUNT", description = "The limit, e.g. 50 or 120.50.")
        BigDecimal amount;

        @Option(names = "--soft", description = "Only alert when the limit is reached; do not stop anything.")
        boolean soft;

        @Option(names = "--alert", split = ",", paramLabel = "PERCENT[,PERCENT...]", description = "Alert when spend crosses these percentages of the limit (default: 75,90,100).")
        List<Integer> alerts;

        private final CliContext ctx;

        Set(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            // a BigDecimal goes out as the number typed (plain, exact); the API checks its range and decimals
            body.put("amount", amount);
            if (alerts != null) {
                body.put("alertThresholds", alerts);
            }
            body.put("hard", !soft);
            JsonNode status = global.billing(ctx).put(PATH, body);
            Renderer r = global.renderer(ctx);
            r.render(status, () -> {
                r.line("Spend limit set.");
                print(r, status);
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove the spend limit; a hold it imposed is lifted.", footer = {
            "", "Example:", "  nanofleet spend-limit remove"})
    static final class Remove implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        private final CliContext ctx;

        Remove(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            JsonNode status = global.billing(ctx).delete(PATH);
            Renderer r = global.renderer(ctx);
            r.render(status, () -> {
                r.line("Spend limit removed.");
                print(r, status);
            });
            return ExitCodes.OK;
        }
    }
}
