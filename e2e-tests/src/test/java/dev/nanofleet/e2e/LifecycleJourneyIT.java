package dev.nanofleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.HostTools;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment's life through the packaged CLI against the whole platform: deploy, update, roll back by hand and by
 * itself, stop, start, restart and read the history, in shared-kernel mode; the same rollout with each replica in its
 * own VM. Prints the measured rollout times as one {@code key=value} line.
 */
class LifecycleJourneyIT {

    /** The demo image's busybox httpd, serving /www/index.html on 8080 (the image's own entrypoint). */
    private static final String CPU = "100";
    private static final String MEMORY = "64";

    private static SharedPlatform shared;
    private static Path config;
    private static final Map<String, String> measured = new LinkedHashMap<>();

    @TempDir
    Path work;

    @BeforeAll
    static void startThePlatformAndLogIn() throws Exception {
        shared = SharedPlatform.get();
        config = Files.createTempDirectory("nanofleet-lifecycle-cli-");
        CliProcess.Result login = new CliProcess(config).run(CliProcess.environment(shared, config), "nanofleet\n",
                "login", "--username", "bob", "--password-stdin");
        assertThat(login.exitCode()).as(login.toString()).isZero();
    }

    @AfterAll
    static void printTheFigures() {
        if (!measured.isEmpty()) {
            System.out.println(measured.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" ")));
        }
    }

    @Test
    void a_shared_kernel_deployment_is_updated_rolled_back_by_hand_and_by_itself_stopped_started_and_restarted()
            throws Exception {
        String name = "life-shared";
        String image1 = shared.environment().get("NANOFLEET_DEMO_IMAGE");
        String image2 = retag(image1, "2");

        CliProcess.Result deploy = run("deploy", "--name", name, "--image", image1, "--replicas", "3", "--cpu", CPU,
                "--memory", MEMORY, "--isolation", "shared", "--port", "8080", "--wait", "--timeout", "3m");
        assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
        assertThat(deploy.err()).contains("revision 1 rolled out: 3/3 running");

        // an update rolls out replica by replica
        long started = System.nanoTime();
        CliProcess.Result update = run("update", name, "--image", image2, "--min-ready", "1s", "--wait", "--timeout",
                "3m");
        measured.put("rollout_shared_3_seconds", seconds(started));
        assertThat(update.exitCode()).as(update.toString()).isZero();
        assertThat(update.out()).startsWith("Deployment " + name + ": revision 2 rolling out (image).\n");
        assertThat(update.err()).contains("waiting up to 3m for revision 2 of " + name + " to roll out",
                "revision 2 rolled out: 3/3 running");
        JsonPath two = status(name);
        assertThat(two.getInt("revision")).isEqualTo(2);
        assertThat(two.getString("rollout.state")).isEqualTo("complete");
        assertThat(two.getString("image")).isEqualTo(image2);
        assertThat(desiredRunning(two, "revision")).containsOnly(2).hasSize(3);
        assertThat(desiredRunning(two, "state")).containsOnly("running");

        // one command back to revision 1's spec, as revision 3
        CliProcess.Result rollback = run("rollback", name, "--wait", "--timeout", "3m");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).startsWith("Deployment " + name + ": revision 3 rolling out (rollback to revision "
                + "1).\n");
        JsonPath history = revisions(name);
        assertThat(history.getInt("[0].revision")).isEqualTo(3);
        assertThat(history.getString("[0].cause")).isEqualTo("rollback");
        assertThat(spec(history, 3)).isEqualTo(spec(history, 1));
        assertThat(status(name).getString("image")).isEqualTo(image1);

        // an image that does not exist: the rollout stops at its deadline and returns by itself
        String missing = image1.substring(0, image1.lastIndexOf(':')) + ":does-not-exist";
        CliProcess.Result broken = run("update", name, "--image", missing, "--progress-deadline", "15s", "--wait",
                "--timeout", "3m");
        assertThat(broken.exitCode()).as(broken.toString()).isEqualTo(4);
        assertThat(broken.err()).contains("revision 4 was rolled back to 3");
        history = revisions(name);
        assertThat(history.getInt("[0].revision")).isEqualTo(5);
        assertThat(history.getString("[0].cause")).isEqualTo("auto-rollback");
        assertThat(history.getString("[0].actor")).isNull();
        assertThat(spec(history, 5)).isEqualTo(spec(history, 1));
        Await.until(Duration.ofMinutes(2), "revision 5 rolled out again", () -> {
            JsonPath d = status(name);
            return d.getInt("rollout.revision") == 5 && "complete".equals(d.getString("rollout.state"));
        });

        // stop: every replica stops and the node says so; start brings the same revision back
        CliProcess.Result stop = run("stop", name, "--wait", "--timeout", "2m");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out()).endsWith("Deployment " + name + ": stopped.\n");
        JsonPath stopped = status(name);
        assertThat(stopped.getString("stoppedAt")).isNotNull();
        assertThat(desiredRunning(stopped, "id")).isEmpty();
        assertThat(stopped.getList("instances.findAll { it.revision == 5 }.state", String.class)).isNotEmpty()
                .containsOnly("stopped");
        CliProcess.Result ls = run("ls");
        assertThat(ls.out()).containsPattern(name + " .* 0/3 ");

        CliProcess.Result start = run("start", name, "--wait", "--timeout", "3m");
        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(start.out()).startsWith("Deployment " + name + ": starting revision 5 (3 replicas).\n");
        JsonPath restarted = status(name);
        assertThat(restarted.getInt("revision")).isEqualTo(5);
        assertThat(restarted.getString("stoppedAt")).isNull();
        assertThat(desiredRunning(restarted, "revision")).containsOnly(5).hasSize(3);
        assertThat(desiredRunning(restarted, "state")).containsOnly("running");

        CliProcess.Result restart = run("restart", name, "--wait", "--timeout", "3m");
        assertThat(restart.exitCode()).as(restart.toString()).isZero();
        assertThat(restart.err()).contains("revision 6 rolled out: 3/3 running");

        CliProcess.Result table = run("revisions", name);
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).startsWith("REVISION  CURRENT  CAUSE")
                .containsPattern("(?m)^6 +\\* +restart +user:")
                .containsPattern("(?m)^5 +- +auto-rollback to 3 +\\(platform\\)")
                .containsPattern("(?m)^4 +- +update .*image .*:1 -> .*:does-not-exist")
                .containsPattern("(?m)^3 +- +rollback to 1 ")
                .containsPattern("(?m)^2 +- +update .*image .*:1 -> .*:2")
                .containsPattern("(?m)^1 +- +create .*created");
        System.out.println("nanofleet revisions " + name + ":\n" + table.out());

        assertThat(run("delete", name, "--yes").exitCode()).isZero();
    }

    @Test
    void three_replicas_each_in_its_own_vm_roll_out_replica_by_replica() throws Exception {
        String name = "life-vm";
        long deployStarted = System.nanoTime();
        CliProcess.Result deploy = run(Duration.ofMinutes(8), "deploy", "--name", name, "--image", shared.environment()
                .get("NANOFLEET_DEMO_IMAGE"), "--replicas", "3", "--cpu", CPU, "--memory", MEMORY, "--isolation",
                "hardware", "--wait", "--timeout", "7m");
        measured.put("deploy_hardware_3_seconds", seconds(deployStarted));
        assertThat(deploy.exitCode()).as(deploy.toString()).isZero();

        long started = System.nanoTime();
        CliProcess.Result update = run(Duration.ofMinutes(10), "update", name, "--env", "VERSION=2", "--min-ready",
                "1s", "--wait", "--timeout", "9m");
        measured.put("rollout_hardware_3_seconds", seconds(started));
        assertThat(update.exitCode()).as(update.toString()).isZero();
        assertThat(update.out()).startsWith("Deployment " + name + ": revision 2 rolling out (env).\n");
        JsonPath done = status(name);
        assertThat(desiredRunning(done, "revision")).containsOnly(2).hasSize(3);
        assertThat(desiredRunning(done, "isolation")).containsOnly("hardware");
        assertThat(done.getString("env.VERSION")).isEqualTo("2");

        assertThat(run("delete", name, "--yes").exitCode()).isZero();
    }

    @Test
    void an_http_health_check_gates_the_rollout_and_the_node_reports_the_replicas_healthy() throws Exception {
        String name = "life-health";
        CliProcess.Result deploy = run("deploy", "--name", name, "--image", shared.environment().get(
                "NANOFLEET_DEMO_IMAGE"), "--replicas", "2", "--cpu", CPU, "--memory", MEMORY, "--isolation", "shared",
                "--port", "8080", "--wait", "--timeout", "3m");
        assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
        try {
            // the check goes in as a revision of its own; without --wait first, to see whether the node reports health
            CliProcess.Result check = run("update", name, "--health-http", "8080/index.html", "--health-interval",
                    "1s", "--progress-deadline", "2m");
            assertThat(check.exitCode()).as(check.toString()).isZero();
            boolean reported = waitForHealthReports(name);
            if (!reported) {
                String reason = "the node agent does not report health yet (instances of revision 2 run with "
                        + "health null): skipping the health-check journey";
                System.out.println("[LifecycleJourneyIT] " + reason);
                if (HostTools.ci()) {
                    throw new AssertionError(reason + " [CI=true: failing instead of skipping]");
                }
                Assumptions.abort(reason);
            }
            Await.until(Duration.ofMinutes(2), "revision 2 rolled out on healthy replicas", () -> "complete".equals(
                    status(name).getString("rollout.state")));
            JsonPath healthy = status(name);
            assertThat(desiredRunning(healthy, "health")).containsOnly("healthy").hasSize(2);
            assertThat(healthy.getString("healthCheck.type")).isEqualTo("http");

            CliProcess.Result update = run("update", name, "--env", "VERSION=3", "--wait", "--timeout", "3m");
            assertThat(update.exitCode()).as(update.toString()).isZero();
            assertThat(update.err()).contains("revision 3 rolled out: 2/2 running");
            assertThat(desiredRunning(status(name), "health")).containsOnly("healthy").hasSize(2);
        } finally {
            run("delete", name, "--yes");
        }
    }

    /** Whether a replica of the current revision reports a health within 20 s of running. */
    private boolean waitForHealthReports(String name) {
        long[] runningSince = {0};
        boolean[] reported = {false};
        Await.until(Duration.ofSeconds(120), "a replica of " + name + " running for 20 s, or reporting its health",
                () -> {
                    JsonPath d = status(name);
                    List<Map<String, Object>> current = d.getList("instances.findAll { it.revision == "
                            + d.getInt("revision") + " && it.desiredState == 'running' }");
                    reported[0] = current.stream().anyMatch(i -> i.get("health") != null);
                    if (runningSince[0] == 0 && current.stream().anyMatch(i -> "running".equals(i.get("state")))) {
                        runningSince[0] = System.nanoTime();
                    }
                    return reported[0] || runningSince[0] != 0
                            && System.nanoTime() - runningSince[0] > TimeUnit.SECONDS.toNanos(20);
                });
        return reported[0];
    }

    private JsonPath status(String name) throws Exception {
        CliProcess.Result status = run("status", name, "--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        return JsonPath.from(status.out());
    }

    private JsonPath revisions(String name) throws Exception {
        CliProcess.Result revisions = run("revisions", name, "--json");
        assertThat(revisions.exitCode()).as(revisions.toString()).isZero();
        return JsonPath.from(revisions.out());
    }

    private static Map<String, Object> spec(JsonPath revisions, int revision) {
        return revisions.getMap("find { it.revision == " + revision + " }.spec");
    }

    private static <T> List<T> desiredRunning(JsonPath deployment, String field) {
        return deployment.getList("instances.findAll { it.desiredState == 'running' }." + field);
    }

    /** The demo image under another tag: an image change the rollout has to roll out. */
    private static String retag(String image, String tag) throws Exception {
        String target = image.substring(0, image.lastIndexOf(':')) + ":" + tag;
        Process copy = new ProcessBuilder(HostTools.get("skopeo").toString(), "--insecure-policy", "copy", "--quiet",
                "--src-tls-verify=false", "--dest-tls-verify=false", "docker://" + image, "docker://" + target)
                .redirectErrorStream(true).start();
        assertThat(copy.waitFor(120, TimeUnit.SECONDS)).as("skopeo copy ended").isTrue();
        assertThat(copy.exitValue()).as(new String(copy.getInputStream().readAllBytes())).isZero();
        return target;
    }

    private static String seconds(long startedNanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - startedNanos) / 1e9);
    }

    private CliProcess.Result run(String... args) throws Exception {
        return run(CliProcess.COMMAND_DEADLINE, args);
    }

    /** Runs the CLI and prints what a user would see (a transcript; the README's walk-through is one). */
    private CliProcess.Result run(Duration deadline, String... args) throws Exception {
        CliProcess.Result result = new CliProcess(work).run(deadline, CliProcess.environment(shared, config), "",
                args);
        if (!List.of(args).contains("--json")) {
            System.out.println("$ nanofleet " + String.join(" ", args) + "\n" + result.err() + result.out()
                    + (result.exitCode() == 0 ? "" : "(exit " + result.exitCode() + ")\n"));
        }
        return result;
    }
}
