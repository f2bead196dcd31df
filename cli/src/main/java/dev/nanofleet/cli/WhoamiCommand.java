package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "whoami", mixinStandardHelpOptions = true, description = "Show who the API thinks you are: subject, kind (user or token), tenant and scopes; and whether your tenant's spend limit stopped it.", footer = {
        "", "Examples:", "  nanofleet whoami", "  NANOFLEET_TOKEN=nfk_... nanofleet whoami --json"})
final class WhoamiCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    private final CliContext ctx;

    WhoamiCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        JsonNode me = global.api(ctx).get("/v1/me");
        Renderer r = global.renderer(ctx);
        r.render(me, () -> {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("subject", Renderer.text(me, "subject"));
            f.put("kind", Renderer.text(me, "kind"));
            f.put("tenant", Renderer.text(me, "tenant"));
            f.put("operator", Renderer.text(me, "operator"));
            f.put("scopes", Renderer.joined(me.path("scopes")));
            if (me.hasNonNull("tokenId")) {
                f.put("token id", Renderer.text(me, "tokenId"));
            }
            r.fields(f);
            String hold = Billing.spendHold(me);
            if (hold != null) {
                r.line(hold);
            }
        });
        return ExitCodes.OK;
    }
}
