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

@Command(name = "tenants", mixinStandardHelpOptions = true, description = "Tenants (operators): list, create, set trust.", subcommands = {
        TenantsCommand.Ls.class, TenantsCommand.Create.class, TenantsCommand.SetTrust.class}, footer = {"", "Examples:",
                "  nanofleet tenants ls",
                "  nanofleet tenants create initech --name Initech --first-user peter --first-user-email peter@initech.example",
                "  nanofleet tenants set-trust initech trusted"})
final class TenantsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final CliContext ctx;

    TenantsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        spec.commandLine().usage(ctx.out());
    }

    enum Trust {
        trusted, untrusted
    }

    static void print(Renderer r, JsonNode tenants) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode t : tenants.isArray() ? tenants : List.of(tenants)) {
            rows.add(List.of(t.path("id").asText(), t.path("name").asText(), t.path("trust").asText(), t.path("state")
                    .asText(), t.path("createdAt").asText("")));
        }
        r.table(List.of("ID", "NAME", "TRUST", "STATE", "CREATED"), rows);
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List tenants.", footer = {
            "", "Example:", "  nanofleet tenants ls"})
    static final class Ls implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        private final CliContext ctx;

        Ls(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            JsonNode tenants = global.api(ctx).get("/v1/tenants");
            Renderer r = global.renderer(ctx);
            r.render(tenants, () -> print(r, tenants));
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {
            "Create a tenant and, optionally, its first user.",
            "The first user's temporary password is printed once; they change it at first login."}, footer = {"",
                    "Example:",
                    "  nanofleet tenants create initech --name Initech --trust untrusted --first-user peter "
                            + "--first-user-email peter@initech.example"})
    static final class Create implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--name", required = true)
        String name;

        @Option(names = "--trust", defaultValue = "untrusted", description = "trusted or untrusted (default: "
                + "${DEFAULT-VALUE}).")
        Trust trust;

        @Option(names = "--first-user", paramLabel = "USERNAME")
        String firstUser;

        @Option(names = "--first-user-email", paramLabel = "EMAIL")
        String firstUserEmail;

        private final CliContext ctx;

        Create(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("name", name);
            body.put("trust", trust.name());
            if (firstUser != null) {
                Map<String, String> user = new LinkedHashMap<>();
                user.put("username", firstUser);
                if (firstUserEmail != null) {
                    user.put("email", firstUserEmail);
                }
                body.put("firstUser", user);
            }
            JsonNode created = global.api(ctx).post("/v1/tenants", body);
            Renderer r = global.renderer(ctx);
            r.render(created, () -> {
                print(r, created.path("tenant"));
                JsonNode user = created.path("firstUser");
                if (user.isObject()) {
                    r.line("");
                    r.line("first user: " + user.path("username").asText() + ", temporary password: " + user.path(
                            "temporaryPassword").asText());
                }
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "set-trust", mixinStandardHelpOptions = true, description = {
            "Mark a tenant trusted (may run shared-kernel containers) or untrusted (own VMs only)."}, footer = {"",
                    "Example:", "  nanofleet tenants set-trust initech trusted"})
    static final class SetTrust implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1", paramLabel = "trusted|untrusted")
        Trust trust;

        private final CliContext ctx;

        SetTrust(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            JsonNode tenant = global.api(ctx).patch("/v1/tenants/" + ApiClient.segment(id), Map.of("trust", trust
                    .name()));
            Renderer r = global.renderer(ctx);
            r.render(tenant, () -> print(r, tenant));
            return ExitCodes.OK;
        }
    }
}
