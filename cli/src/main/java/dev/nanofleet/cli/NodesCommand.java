package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "nodes", mixinStandardHelpOptions = true, description = "The fleet's nodes (operators): list, cordon, drain, uncordon, read their logs.", subcommands = {
        NodesCommand.Ls.class, NodesCommand.Cordon.class, NodesCommand.Drain.class,
        NodesCommand.Uncordon.class, NodesCommand.Logs.class}, footer = {"", "Examples:", "  nanofleet nodes ls",
                "  nanofleet nodes cordon local-1",
                "  nanofleet nodes drain local-1", "  nanofleet nodes uncordon local-1",
                "  nanofleet nodes logs local-1 --kernel --tail 50"})
final class NodesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final CliContext ctx;

    NodesCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        spec.commandLine().usage(ctx.out());
    }

    static void print(Renderer r, JsonNode nodes) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode n : nodes.isArray() ? nodes : List.of(nodes)) {
            rows.add(List.of(n.path("name").asText(), n.path("state").asText(), n.path("scheduling").asText(""), n.path(
                    "allocatable").path("cpuMillis").asText() + "m", n.path("allocatable").path("memoryMiB").asText()
                            + " MiB",
                    Renderer.joined(n.path("isolations")), n.path("lastHeartbeat").asText("")));
        }
        r.table(List.of("NAME", "STATE", "SCHEDULING", "CPU", "MEMORY", "ISOLATIONS", "LAST HEARTBEAT"), rows);
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List nodes with capacity, readiness and scheduling.", footer = {
            "", "Example:", "  nanofleet nodes ls"})
    static final class Ls implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        private final CliContext ctx;

        Ls(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            JsonNode nodes = global.api(ctx).get("/v1/nodes");
            Renderer r = global.renderer(ctx);
            r.render(nodes, () -> print(r, nodes));
            return ExitCodes.OK;
        }
    }

    /** The three scheduling actions differ only in their path. */
    abstract static class Action implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Parameters(paramLabel = "NAME")
        String name;

        private final CliContext ctx;
        private final String action;

        Action(CliContext ctx, String action) {
            this.ctx = ctx;
            this.action = action;
        }

        @Override
        public Integer call() {
            JsonNode node = global.api(ctx).post("/v1/nodes/" + ApiClient.segment(name) + "/" + action);
            Renderer r = global.renderer(ctx);
            r.render(node, () -> print(r, node));
            return ExitCodes.OK;
        }
    }

    @Command(name = "cordon", mixinStandardHelpOptions = true, description = "What runs there stays; nothing new is placed there.", footer = {
            "", "Example:", "  nanofleet nodes cordon local-1"})
    static final class Cordon extends Action {
        Cordon(CliContext ctx) {
            super(ctx, "cordon");
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true, description = "Nothing new is placed there, and what runs there is placed elsewhere.", footer = {
            "", "Example:", "  nanofleet nodes drain local-1"})
    static final class Drain extends Action {
        Drain(CliContext ctx) {
            super(ctx, "drain");
        }
    }

    @Command(name = "uncordon", mixinStandardHelpOptions = true, description = "Make a cordoned or draining node schedulable again.", footer = {
            "", "Example:", "  nanofleet nodes uncordon local-1"})
    static final class Uncordon extends Action {
        Uncordon(CliContext ctx) {
            super(ctx, "uncordon");
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = {
            "Print a node's own log: its agent's, or with --kernel its kernel's messages.",
            "Nodes have no login: this is how their logs are read."}, footer = {"", "Examples:",
                    "  nanofleet nodes logs local-1", "  nanofleet nodes logs local-1 --kernel --tail 50",
                    "  nanofleet nodes logs local-1 -f"})
    static final class Logs implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--kernel", description = "The kernel's messages (as dmesg prints them) instead of the agent's log.")
        boolean kernel;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
        boolean follow;

        @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (the API's default: 100).")
        Integer tail;

        private final CliContext ctx;

        Logs(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException {
            List<String> query = new ArrayList<>();
            query.add("source=" + (kernel ? "kernel" : "agent"));
            if (tail != null) {
                query.add("tail=" + tail);
            }
            if (follow) {
                query.add("follow=true");
            }
            LogsCommand.print(ctx, global.api(ctx),
                    "/v1/nodes/" + ApiClient.segment(name) + "/logs?" + String.join("&", query));
            return ExitCodes.OK;
        }
    }
}
