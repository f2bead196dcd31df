package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "domains", mixinStandardHelpOptions = true, description = "A deployment's own hostnames, served by the edge with your certificate: add (or renew), list, remove.", subcommands = {
        DomainsCommand.Add.class, DomainsCommand.Ls.class, DomainsCommand.Rm.class}, footer = {"", "Examples:",
                "  nanofleet domains add web www.example.com --cert fullchain.pem --key privkey.pem",
                "  nanofleet domains ls web", "  nanofleet domains rm web www.example.com"})
final class DomainsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final CliContext ctx;

    DomainsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        spec.commandLine().usage(ctx.out());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
            "Attach HOSTNAME to the deployment with its certificate and key; for a hostname it has already, replace the"
                    + " certificate (a renewal).",
            "Point the name (CNAME or A record) at the edge. The key is stored sealed and never shown again."}, footer = {
                    "", "Example:",
                    "  nanofleet domains add web www.example.com --cert fullchain.pem --key privkey.pem"})
    static final class Add implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Parameters(index = "0", paramLabel = "DEPLOYMENT", description = "Name or id.")
        String deployment;

        @Parameters(index = "1", paramLabel = "HOSTNAME")
        String hostname;

        @Option(names = "--cert", required = true, paramLabel = "FILE", description = "PEM: the certificate naming HOSTNAME, then its intermediates.")
        Path certificate;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "PEM: its private key, unencrypted.")
        Path key;

        private final CliContext ctx;

        Add(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("hostname", hostname);
            body.put("certificate", read(certificate, "--cert"));
            body.put("privateKey", read(key, "--key"));
            ApiClient api = global.api(ctx);
            JsonNode domain = api.post("/v1/deployments/" + ApiClient.segment(Deployments.id(api, deployment))
                    + "/domains", body);
            Renderer r = global.renderer(ctx);
            r.render(domain, () -> r.fields(fields(domain)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List the deployment's custom domains.", footer = {
            "", "Example:", "  nanofleet domains ls web"})
    static final class Ls implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Parameters(paramLabel = "DEPLOYMENT", description = "Name or id.")
        String deployment;

        private final CliContext ctx;

        Ls(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ApiClient api = global.api(ctx);
            JsonNode domains = api.get("/v1/deployments/" + ApiClient.segment(Deployments.id(api, deployment))
                    + "/domains");
            Renderer r = global.renderer(ctx);
            r.render(domains, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode d : domains) {
                    String sha = d.path("certificateSha256").asText("");
                    rows.add(List.of(d.path("hostname").asText(), d.path("notAfter").asText(""),
                            d.path("issuer").asText(""), sha.substring(0, Math.min(12, sha.length()))));
                }
                r.table(List.of("HOSTNAME", "EXPIRES", "ISSUER", "CERTIFICATE"), rows);
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true, description = "Detach a hostname: the edge stops answering for it.", footer = {
            "", "Example:", "  nanofleet domains rm web www.example.com"})
    static final class Rm implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Parameters(index = "0", paramLabel = "DEPLOYMENT", description = "Name or id.")
        String deployment;

        @Parameters(index = "1", paramLabel = "HOSTNAME")
        String hostname;

        private final CliContext ctx;

        Rm(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ApiClient api = global.api(ctx);
            api.delete("/v1/deployments/" + ApiClient.segment(Deployments.id(api, deployment)) + "/domains/"
                    + ApiClient.segment(hostname));
            if (!global.json) {
                ctx.out().println("Removed " + hostname + " from " + deployment + ".");
            }
            return ExitCodes.OK;
        }
    }

    private static String read(Path file, String option) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, option + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    static Map<String, String> fields(JsonNode domain) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("hostname", Renderer.text(domain, "hostname"));
        f.put("deployment", Renderer.text(domain, "deploymentId"));
        f.put("issuer", Renderer.text(domain, "issuer"));
        f.put("expires", Renderer.text(domain, "notAfter"));
        f.put("certificate", Renderer.text(domain, "certificateSha256"));
        return f;
    }
}
