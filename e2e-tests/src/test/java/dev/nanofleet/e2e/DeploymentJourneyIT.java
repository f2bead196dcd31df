package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.launcher.Platform;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.KeycloakServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole platform, started by the launcher on free ports from the packaged services: a tenant's deployment travels
 * control-api -> Kafka -> scheduler -> Kafka -> control-api -> node agent -> runc or QEMU, and its state comes back.
 */
class DeploymentJourneyIT {

    private static Platform platform;
    private static String api;
    private static KeycloakServer keycloak;
    private static SharedPlatform shared;

    @BeforeAll
    static void startThePlatform() throws Exception {
        // started once per JVM and shared with the other journeys (CliJourneyIT); stopped when the JVM ends
        shared = SharedPlatform.get();
        platform = shared.platform;
        api = shared.api;
        keycloak = shared.keycloak;
    }

    @Test
    void a_trusted_tenants_deployment_runs_in_runc_and_another_tenant_cannot_see_it() throws Exception {
        String bob = keycloak.passwordToken("bob", "nanofleet");
        String alice = keycloak.passwordToken("alice", "nanofleet");

        String id = given().auth().oauth2(bob).contentType(ContentType.JSON)
                .body(deployment("hello-e2e", "auto", 64))
                .post(api + "/v1/deployments")
                .then().statusCode(201).extract().path("id");

        JsonPath running = awaitInstanceState(bob, id, "running", Duration.ofSeconds(120));
        String node = running.getString("instances[0].node");
        assertThat(node).isIn(shared.nodeNames());
        assertThat(running.getString("instances[0].isolation")).isEqualToIgnoringCase("shared");
        assertThat(runcContainerIds(node)).contains(running.getString("instances[0].id"));

        given().auth().oauth2(alice).get(api + "/v1/deployments/" + id).then().statusCode(404);
        List<String> alicesIds = given().auth().oauth2(alice).get(api + "/v1/deployments").then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertThat(alicesIds).doesNotContain(id);
    }

    @Test
    void a_tenant_reads_its_instances_output_and_follows_it_and_another_tenant_cannot() throws Exception {
        String bob = keycloak.passwordToken("bob", "nanofleet");
        String alice = keycloak.passwordToken("alice", "nanofleet");
        Map<String, Object> request = new HashMap<>(deployment("logs-e2e", "auto", 64));
        request.put("command", List.of("/bin/sh", "-c", "echo hello-1; echo hello-2 >&2; i=0; "
                + "while true; do i=$((i+1)); echo tick-$i; sleep 1; done"));
        String id = given().auth().oauth2(bob).contentType(ContentType.JSON).body(request)
                .post(api + "/v1/deployments").then().statusCode(201).extract().path("id");
        String instance = awaitInstanceState(bob, id, "running", Duration.ofSeconds(120))
                .getString("instances[0].id");
        String logs = api + "/v1/instances/" + instance + "/logs";

        String first = Await.value(Duration.ofSeconds(30), "the first lines of " + instance, () -> {
            String body = given().auth().oauth2(bob).get(logs + "?tail=10000").then().statusCode(200).extract()
                    .asString();
            return body.contains("tick-1\n") && body.contains("hello-2\n") ? body : null;
        });
        // stdout keeps its order; stderr (hello-2) is in the same file but runc copies the two streams separately
        assertThat(first).startsWith("hello-").contains("hello-1\n", "hello-2\n");
        assertThat(first.indexOf("hello-1\n")).isLessThan(first.indexOf("tick-1\n"));
        // the last line is a tick once the separately copied stderr line has landed (it may land after tick-1)
        String last = Await.value(Duration.ofSeconds(30), "a tick as the last line of " + instance, () -> {
            String line = given().auth().oauth2(bob).get(logs + "?tail=1").then().statusCode(200).extract()
                    .asString();
            return line.matches("tick-\\d+\n") ? line : null;
        });

        // follow: a line the instance prints after the request arrives on the open stream
        String expected = "tick-" + (Integer.parseInt(last.strip().substring("tick-".length())) + 2);
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(logs + "?tail=1&follow=true"))
                        .header("Authorization", "Bearer " + bob).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.equals(expected)) {
                            return true;
                        }
                    }
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(seen.get(30, TimeUnit.SECONDS)).as(expected + " on the followed stream").isTrue();
        }

        given().auth().oauth2(alice).get(logs).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(keycloak.passwordToken("ops", "nanofleet")).get(logs + "?tail=1").then()
                .statusCode(200);
    }

    @Test
    void a_crashed_instances_output_stays_readable_after_its_node_polled_its_assignments_again() {
        String bob = keycloak.passwordToken("bob", "nanofleet");
        Map<String, Object> request = new HashMap<>(deployment("crash-e2e", "shared", 64));
        request.put("command", List.of("/bin/sh", "-c", "echo about-to-crash; exit 3"));
        request.put("restartPolicy", Map.of("mode", "never"));
        String id = given().auth().oauth2(bob).contentType(ContentType.JSON).body(request)
                .post(api + "/v1/deployments").then().statusCode(201).extract().path("id");
        JsonPath exited = awaitInstanceState(bob, id, "exited", Duration.ofSeconds(120));
        assertThat(exited.getInt("instances[0].exitCode")).isEqualTo(3);
        String logs = api + "/v1/instances/" + exited.getString("instances[0].id") + "/logs";

        // before the fix the node removed the instance's files on its first pass after the exit: wait for two passes
        String node = exited.getString("instances[0].node");
        long passes = reconcilePasses(node);
        Await.until(Duration.ofSeconds(30), "two more reconcile passes of the node",
                () -> reconcilePasses(node) >= passes + 2);

        assertThat(given().auth().oauth2(bob).get(logs).then().statusCode(200).extract().asString())
                .isEqualTo("about-to-crash\n");
    }

    /** How many reconcile passes the node's agent has made (its Prometheus timer). */
    private static long reconcilePasses(String node) {
        String metrics = given().get(shared.agentUrl(node) + "/q/metrics").then()
                .statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("nanofleet_node_reconcile_seconds_count"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void an_untrusted_tenants_auto_deployment_runs_in_its_own_vm_and_its_output_reaches_the_logs_api()
            throws Exception {
        String alice = keycloak.passwordToken("alice", "nanofleet");
        Map<String, Object> request = new HashMap<>(deployment("vm-e2e", "auto", 64));
        // the demo image's own server, after a line of output
        request.put("command", List.of("/bin/sh", "-c", "echo hello-from-the-vm; exec " + String.join(" ",
                DemoImage.ENTRYPOINT)));

        String id = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(request)
                .post(api + "/v1/deployments")
                .then().statusCode(201).body("isolation", equalTo("hardware")).extract().path("id");

        JsonPath running = awaitInstanceState(alice, id, "running", Duration.ofSeconds(180));
        String node = running.getString("instances[0].node");
        assertThat(node).isIn(shared.nodeNames());
        assertThat(running.getString("instances[0].isolation")).isEqualTo("hardware");
        Path pidFile = shared.node(node).stateDir().resolve("vms").resolve(running.getString("instances[0].id"))
                .resolve("vm.pid");
        long qemuPid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(qemuPid).flatMap(p -> p.info().command())).hasValueSatisfying(
                command -> assertThat(command).contains("qemu-system"));

        String logs = api + "/v1/instances/" + running.getString("instances[0].id") + "/logs";
        Await.until(Duration.ofSeconds(30), "the VM's output through the logs API",
                () -> given().auth().oauth2(alice).get(logs).then().statusCode(200).extract().asString()
                        .contains("hello-from-the-vm\n"));
    }

    @Test
    void a_replica_no_node_can_hold_waits_and_says_why() {
        String bob = keycloak.passwordToken("bob", "nanofleet");

        String id = given().auth().oauth2(bob).contentType(ContentType.JSON)
                .body(deployment("too-big-e2e", "shared", 65536))
                .post(api + "/v1/deployments")
                .then().statusCode(201).extract().path("id");

        try {
            JsonPath waiting = awaitInstanceState(bob, id, "unschedulable", Duration.ofSeconds(60));
            // every node lacks the memory (one may hold another trusted tenant's kernel, which is said first then);
            // the count includes nodes other journeys enrolled and removed, which the scheduler still knows as lost
            assertThat(waiting.getString("instances[0].reason")).matches("0/\\d+ nodes available: .*")
                    .contains("insufficient memory");
        } finally {
            // 64 GiB is all of globex's shared-kernel memory quota: give it back for the other journeys, pass or fail
            given().auth().oauth2(bob).delete(api + "/v1/deployments/" + id).then().statusCode(202);
        }
    }

    /** Waits for the first instance's state; on time-out says what the API and the node agent said last. */
    private static JsonPath awaitInstanceState(String token, String deploymentId, String state, Duration deadline) {
        AtomicReference<String> last = new AtomicReference<>();
        try {
            return Await.value(deadline, "instance of " + deploymentId + " " + state, () -> {
                JsonPath body = given().auth().oauth2(token).get(api + "/v1/deployments/" + deploymentId).then()
                        .statusCode(200).extract().jsonPath();
                last.set(body.prettify());
                return state.equals(body.getString("instances[0].state")) ? body : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlast answer: " + last.get() + "\n"
                    + shared.agentLogTails(20), e);
        }
    }

    private static Map<String, Object> deployment(String name, String isolation, int memoryMiB) {
        return Map.of("name", name, "image", platform.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", 1,
                "resources", Map.of("cpuMillis", 250, "memoryMiB", memoryMiB), "isolation", isolation);
    }

    private static String runcContainerIds(String node) throws Exception {
        Path runcRoot = shared.node(node).ociState();
        Process list = new ProcessBuilder("runc", "--root", runcRoot.toString(), "list", "-q").redirectErrorStream(true)
                .start();
        String out = new String(list.getInputStream().readAllBytes());
        list.waitFor();
        return out;
    }
}
