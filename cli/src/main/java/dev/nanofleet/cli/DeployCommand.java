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

@Command(name = "deploy", mixinStandardHelpOptions = true, description = {
        "Create a deployment from flags, from a file shaped like the API's create body, or both "
                + "(flags win).",
        "--wait follows it until every replica is running."}, footer = {"", "Examples:",
                "  nanofleet deploy --name hello --image reg.example/hello:1 \\",
                "      --cpu 250 --memory 64 --port 8080 --isolation shared",
                "  nanofleet deploy -f nanofleet.yaml --wait",
                "  nanofleet deploy -f nanofleet.toml --replicas 3 --env LOG_LEVEL=debug \\",
                "      --wait --timeout 2m",
                "  nanofleet deploy --name tick --image reg.example/busybox:1 --cpu 100 \\",
                "      --memory 32 --command /bin/sh -c 'while true; do date; sleep 5; done'", "",
                "nanofleet.yaml:", "  name: hello", "  image: reg.example/hello:1", "  replicas: 2",
                "  resources: {cpuMillis: 250, memoryMiB: 64}", "  isolation: shared",
                "  ports: [{containerPort: 8080}, {containerPort: 5432, protocol: tcp}]", "  env: {GREETING: hi}"})
final class DeployCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "nanofleet.yaml, .toml or .json.")
    Path file;

    @Option(names = "--name")
    String name;

    @Option(names = "--image")
    String image;

    @Option(names = "--replicas")
    Integer replicas;

    @Option(names = "--cpu", paramLabel = "MILLIS", description = "CPU per replica in millicores (1000 = one core).")
    Integer cpu;

    @Option(names = "--memory", paramLabel = "MIB", description = "Memory per replica in MiB.")
    Integer memory;

    @Option(names = "--isolation", paramLabel = "auto|hardware|shared", description = "hardware: own VM; shared: runc (trusted tenants); auto: by the tenant's trust.")
    Isolation isolation;

    @Option(names = "--port", paramLabel = "PORT[/PROTOCOL]", converter = PortFlag.Converter.class, description = "A container port to publish (repeatable): 8080 or 8080/http is reached at the deployment's URL (the first http port), 5432/tcp on an edge port of its own.")
    List<PortFlag> ports;

    @Option(names = "--env", paramLabel = "K=V", description = "An environment variable (repeatable).")
    Map<String, String> env;

    @Option(names = "--secret", paramLabel = "K=V", description = "An environment variable stored sealed, never shown again (repeatable).")
    Map<String, String> secrets;

    @Option(names = "--restart", paramLabel = "never|on-failure|always", description = "The restart policy's mode.")
    String restart;

    @Option(names = "--command", arity = "1..*", paramLabel = "ARG", description = "The process and its arguments instead of the image's.")
    List<String> command;

    @Option(names = "--egress", paramLabel = "allow-all|deny-all|allow-list", description = "Where replicas may connect beyond their node (default allow-all).")
    String egress;

    @Option(names = "--egress-allow", paramLabel = "CIDR[:PORT,...]", description = "A destination of the egress allow-list, e.g. 203.0.113.0/24:443 (repeatable; implies --egress allow-list).")
    List<String> egressAllow;

    @Option(names = "--wait", description = "Wait until every replica is running; exit 4 if one fails or on time-out.")
    boolean await;

    @Option(names = "--timeout", defaultValue = "5m", converter = DurationConverter.class, description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--poll-interval", defaultValue = "1s", converter = DurationConverter.class, hidden = true)
    Duration pollInterval;

    enum Isolation {
        auto, hardware, shared
    }

    private final CliContext ctx;

    DeployCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ObjectNode fromFile = file == null ? null : DeployRequest.read(file, ctx.json());
        ObjectNode body = DeployRequest.merge(fromFile, new DeployRequest.Flags(name, image, replicas, cpu, memory,
                isolation == null ? null : isolation.name(), ports, env, secrets, command, restart, egress,
                egressAllow), ctx.json());
        ApiClient api = global.api(ctx);
        JsonNode created = api.post("/v1/deployments", body);
        String id = created.path("id").asText();
        String deploymentName = created.path("name").asText();
        Renderer r = global.renderer(ctx);
        if (!r.json()) {
            r.line("Created deployment " + deploymentName + " (" + id + "), isolation "
                    + created.path("isolation").asText() + ".");
            ctx.out().flush();
        }
        JsonNode last = created;
        if (await) {
            // the revision created (1), so an automatic rollback or someone else's change is not taken for success
            Integer revision = created.path("revision").isInt() ? created.get("revision").asInt() : null;
            last = new DeploymentWaiter(api, ctx.clock(), ctx.sleeper(), ctx.err()).await(id, deploymentName,
                    new WaitDecision.Running(revision), timeout, pollInterval);
        }
        JsonNode shown = last;
        r.render(shown, () -> {
            if (await) {
                StatusCommand.printInstances(r, shown);
            }
        });
        return ExitCodes.OK;
    }
}
