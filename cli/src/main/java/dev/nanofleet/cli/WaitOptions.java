package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --wait} and {@code --timeout} of the commands that change what a deployment runs; mixed into each. */
public final class WaitOptions {

    @Option(names = "--wait", description = "Follow the rollout until it completes; exit 4 if it fails, is rolled back, or on time-out.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class, description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--poll-interval", defaultValue = "1s", converter = DurationConverter.class, hidden = true)
    Duration pollInterval;

    /** Waits for {@code goal} when {@code --wait} was given; returns the last snapshot, else {@code answered}. */
    JsonNode follow(CliContext ctx, ApiClient api, JsonNode answered, WaitDecision.Goal goal) {
        if (!await) {
            return answered;
        }
        return new DeploymentWaiter(api, ctx.clock(), ctx.sleeper(), ctx.err()).await(answered.path("id").asText(),
                answered.path("name").asText(), goal, timeout, pollInterval);
    }

    /** The revision the deployment rolls out now, as a goal. */
    static WaitDecision.Goal revisionOf(JsonNode deployment) {
        return new WaitDecision.Running(
                deployment.path("revision").isInt() ? deployment.get("revision").asInt() : null);
    }
}
