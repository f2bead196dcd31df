package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokens", mixinStandardHelpOptions = true, description = "API tokens (nfk_...) for scripts and CI: create, list, revoke.", subcommands = {
        TokensCommand.Create.class, TokensCommand.Ls.class, TokensCommand.Revoke.class}, footer = {"", "Examples:",
                "  nanofleet tokens create --name ci --scope read,deploy --expires-in-days 30",
                "  nanofleet tokens ls", "  nanofleet tokens revoke 6f1d2c3b-..."})
final class TokensCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final CliContext ctx;

    TokensCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        spec.commandLine().usage(ctx.out());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {
            "Create an API token. Its secret is printed once, now: store it.",
            "Scopes: read, deploy, exec, admin."}, footer = {"", "Examples:",
                    "  nanofleet tokens create --name ci --scope read,deploy",
                    "  export NANOFLEET_TOKEN=$(nanofleet tokens create --name ci --scope read --json | jq -r .secret)"})
    static final class Create implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Option(names = "--name", required = true)
        String name;

        @Option(names = "--scope", split = ",", required = true, paramLabel = "SCOPE[,SCOPE...]")
        List<String> scopes;

        @Option(names = "--expires-in-days", paramLabel = "N", description = "1 to 365 (the API's default: 90).")
        Integer expiresInDays;

        private final CliContext ctx;

        Create(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("scopes", scopes);
            if (expiresInDays != null) {
                body.put("expiresInDays", expiresInDays);
            }
            JsonNode token = global.api(ctx).post("/v1/tokens", body);
            Renderer r = global.renderer(ctx);
            r.render(token, () -> {
                r.fields(fields(token));
                r.line("");
                r.line("secret: " + Renderer.text(token, "secret"));
                ctx.err().println("The secret is shown only now. Use it as NANOFLEET_TOKEN or as a bearer token.");
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List API tokens.", footer = {
            "", "Example:", "  nanofleet tokens ls"})
    static final class Ls implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        private final CliContext ctx;

        Ls(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            JsonNode tokens = global.api(ctx).get("/v1/tokens");
            Renderer r = global.renderer(ctx);
            r.render(tokens, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode t : tokens) {
                    rows.add(List.of(t.path("id").asText(), t.path("name").asText(), Renderer.joined(t.path("scopes")),
                            t.path("createdAt").asText(""), t.path("expiresAt").asText(""), t.path("lastUsedAt")
                                    .asText("")));
                }
                r.table(List.of("ID", "NAME", "SCOPES", "CREATED", "EXPIRES", "LAST USED"), rows);
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API token: requests with it get 401 from now on.", footer = {
            "", "Example:", "  nanofleet tokens revoke 6f1d2c3b-..."})
    static final class Revoke implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Parameters(paramLabel = "ID")
        String id;

        private final CliContext ctx;

        Revoke(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            global.api(ctx).delete("/v1/tokens/" + ApiClient.segment(id));
            if (!global.json) {
                ctx.out().println("Revoked token " + id + ".");
            }
            return ExitCodes.OK;
        }
    }

    static Map<String, String> fields(JsonNode token) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", Renderer.text(token, "id"));
        f.put("name", Renderer.text(token, "name"));
        f.put("scopes", Renderer.joined(token.path("scopes")));
        f.put("tenant", Renderer.text(token, "tenant"));
        f.put("expires", Renderer.text(token, "expiresAt"));
        return f;
    }
}
