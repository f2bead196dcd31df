package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "update", mixinStandardHelpOptions = true, description = {
        "Change a deployment. A change to what runs (image, command, env, secrets, resources, ports, isolation, "
                + "restart policy, health check) is a new revision, rolled out replica by replica; --replicas alone "
                + "scales.",
        "--env adds to the deployment's variables (--unset-env removes one); a file (-f) is the deployment as it "
                + "should be: its env and secrets are the whole maps, flags win over it."}, footer = {"", "Examples:",
                        "  nanofleet update web --image reg.example/web:2 --wait",
                        "  nanofleet update web --env LOG_LEVEL=debug --unset-env OLD_FLAG",
                        "  nanofleet update web --health-http 8080/healthz --max-unavailable 0 --wait",
                        "  nanofleet update -f nanofleet.yaml --wait",
                        "  nanofleet update web --image reg.example/web:3 --progress-deadline 2m \\",
                        "      --no-auto-rollback"})
final class UpdateCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Mixin
    WaitOptions wait;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID|NAME", description = "The deployment; default the file's name.")
    String deployment;

    @Option(names = {"-f",
            "--file"}, paramLabel = "FILE", description = "nanofleet.yaml, .toml or .json: the deployment as it should be.")
    Path file;

    @Option(names = "--image", paramLabel = "IMAGE")
    String image;

    @Option(names = "--replicas", paramLabel = "N", description = "Alone, scales without a new revision.")
    Integer replicas;

    @Option(names = "--cpu", paramLabel = "MILLIS", description = "CPU per replica in millicores.")
    Integer cpu;

    @Option(names = "--memory", paramLabel = "MIB", description = "Memory per replica in MiB.")
    Integer memory;

    @Option(names = "--isolation", paramLabel = "auto|hardware|shared", description = "Rolls the replicas to the other mode with the same image.")
    DeployCommand.Isolation isolation;

    @Option(names = "--env", paramLabel = "K=V", description = "Set a variable, keeping the others (repeatable).")
    Map<String, String> env;

    @Option(names = "--unset-env", paramLabel = "K", description = "Remove a variable (repeatable).")
    List<String> unsetEnv;

    @Option(names = "--secret", paramLabel = "K=V", description = "The secrets (repeatable): they replace all of them, so name every one.")
    Map<String, String> secrets;

    @Option(names = "--port", paramLabel = "PORT[/PROTOCOL]", converter = PortFlag.Converter.class, description = "The container ports, 8080 (http) or 5432/tcp (repeatable; replaces the list).")
    List<PortFlag> ports;

    @Option(names = "--restart", paramLabel = "never|on-failure|always", description = "The restart policy's mode.")
    String restart;

    @Option(names = "--health-http", paramLabel = "PORT[/PATH]", description = "Check with an HTTP GET (2xx or 3xx is healthy).")
    String healthHttp;

    @Option(names = "--health-tcp", paramLabel = "PORT", description = "Check that the port accepts a connection.")
    Integer healthTcp;

    @Option(names = "--health-interval", paramLabel = "DURATION", converter = DurationConverter.class, description = "How often the check runs (default 10s).")
    Duration healthInterval;

    @Option(names = "--no-health-check", description = "Remove the health check.")
    boolean noHealthCheck;

    @Option(names = "--max-surge", paramLabel = "N|N%", description = "Replicas a rollout may add over the count.")
    String maxSurge;

    @Option(names = "--max-unavailable", paramLabel = "N|N%", description = "Replicas that may be unready during a rollout.")
    String maxUnavailable;

    @Option(names = "--min-ready", paramLabel = "DURATION", converter = DurationConverter.class, description = "How long a replica without a health check must run to count as ready (e.g. 5s).")
    Duration minReady;

    @Option(names = "--progress-deadline", paramLabel = "DURATION", converter = DurationConverter.class, description = "How long a rollout may go without progress before it fails (e.g. 2m).")
    Duration progressDeadline;

    @Option(names = "--auto-rollback", negatable = true, description = "Return to the last rolled-out revision when a rollout fails (the default; --no-auto-rollback leaves it failed).")
    Boolean autoRollback;

    // both take the rest of the line: put them last
    @Option(names = "--health-exec", arity = "1..*", paramLabel = "ARG", description = "Check by running a command in the replica (exit 0 is healthy); put it last.")
    List<String> healthExec;

    @Option(names = "--command", arity = "1..*", paramLabel = "ARG", description = "The process and its arguments instead of the image's; put it last.")
    List<String> command;

    private final CliContext ctx;

    UpdateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ObjectNode fromFile = file == null ? null : DeployRequest.read(file, ctx.json());
        String target = deployment != null ? deployment : fromFile == null ? null : Renderer.text(fromFile, "name");
        if (target == null) {
            throw new CliException(ExitCodes.USAGE, "name the deployment (ID|NAME), or give a file with a name");
        }
        ApiClient api = global.api(ctx);
        // the current env and resources, to merge flags into (the API replaces env whole)
        JsonNode current = Deployments.resolve(api, target);
        ObjectNode body = UpdateRequest.build(current, fromFile, new UpdateRequest.Flags(replicas, image, cpu, memory,
                isolation == null ? null : isolation.name(), command, env, unsetEnv, secrets, ports, restart,
                healthCheck(), noHealthCheck, maxSurge, maxUnavailable, seconds(minReady), seconds(progressDeadline),
                autoRollback), ctx.json());
        if (body.isEmpty()) {
            throw new CliException(ExitCodes.USAGE,
                    "nothing to change: give a flag or a file (nanofleet update --help)");
        }
        String id = current.path("id").asText();
        JsonNode updated = api.patch("/v1/deployments/" + id, body);
        int before = current.path("revision").asInt(0);
        int after = updated.path("revision").asInt(0);
        Renderer r = global.renderer(ctx);
        String name = updated.path("name").asText();
        if (!r.json()) {
            if (after > before) {
                String changed = Lifecycle.changedIn(api, id, after);
                r.line(updated.hasNonNull("stoppedAt")
                        ? "Deployment " + name + ": revision " + after + " made (" + changed + "); it runs when the "
                                + "deployment starts."
                        : "Deployment " + name + ": revision " + after + " rolling out (" + changed + ").");
            } else if (current.path("replicas").asInt() != updated.path("replicas").asInt()) {
                r.line("Deployment " + name + ": scaled to " + updated.path("replicas").asInt() + " replicas (revision "
                        + after + ").");
            } else {
                r.line("Deployment " + name + ": nothing to roll out (revision " + after + " runs already).");
            }
            ctx.out().flush();
        }
        JsonNode last = updated.hasNonNull("stoppedAt")
                ? updated
                : wait.follow(ctx, api, updated, WaitOptions.revisionOf(updated));
        r.render(last, () -> {
            if (wait.await && !updated.hasNonNull("stoppedAt")) {
                StatusCommand.printInstances(r, Lifecycle.running(last));
            }
        });
        return ExitCodes.OK;
    }

    private UpdateRequest.HealthCheck healthCheck() {
        int given = (healthHttp != null ? 1 : 0) + (healthTcp != null ? 1 : 0) + (healthExec != null ? 1 : 0);
        if (given > 1) {
            throw new CliException(ExitCodes.USAGE, "give one of --health-http, --health-tcp and --health-exec");
        }
        if (given == 0 && healthInterval != null) {
            throw new CliException(ExitCodes.USAGE, "--health-interval goes with --health-http, --health-tcp or "
                    + "--health-exec");
        }
        UpdateRequest.HealthCheck check = healthHttp != null
                ? UpdateRequest.HealthCheck.http(healthHttp)
                : healthTcp != null
                        ? new UpdateRequest.HealthCheck("tcp", healthTcp, null, null, null)
                        : healthExec != null
                                ? new UpdateRequest.HealthCheck("exec", null, null, healthExec, null)
                                : null;
        return check == null ? null : check.every(seconds(healthInterval));
    }

    private static Integer seconds(Duration d) {
        return d == null ? null : (int) d.toSeconds();
    }
}
