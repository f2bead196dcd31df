package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.Await;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code nanofleet exec} into a running replica in both isolation modes, through control-api and the node agent to runc
 * exec or the VM's guest agent: a piped session (stdin without a terminal), a terminal session, the refusals before the
 * upgrade, and the round-trip latency of a line through the whole path.
 */
class ExecJourneyIT {

    private static final int ROUND_TRIPS = 200;
    private static SharedPlatform shared;
    private static String api;
    private static CliProcess cli;
    private static String bob;
    private static String alice;
    private static String sharedInstance;
    private static String vmInstance;
    private static final List<Map.Entry<String, String>> CREATED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void twoRunningReplicas() throws Exception {
        shared = SharedPlatform.get();
        api = shared.api;
        cli = new CliProcess(Files.createTempDirectory(shared.home, "exec-cli-"));
        bob = shared.keycloak.passwordToken("bob", "nanofleet"); // trusted: runc
        alice = shared.keycloak.passwordToken("alice", "nanofleet"); // untrusted: a VM
        sharedInstance = runningInstance(bob, "exec-shared-e2e", "shared", Duration.ofSeconds(120));
        vmInstance = runningInstance(alice, "exec-vm-e2e", "hardware", Duration.ofSeconds(180));
    }

    @org.junit.jupiter.api.AfterAll
    static void deleteTheDeployments() {
        // the other journeys share the platform and the tenants' quotas
        CREATED.forEach(d -> given().auth().oauth2(d.getKey()).delete(api + "/v1/deployments/" + d.getValue()));
    }

    @Test
    void a_piped_session_in_runc_passes_stdin_keeps_stderr_apart_and_exits_with_the_remote_code() throws Exception {
        CliProcess.Result cat = cli.run(env(bob), "hi\n", "exec", "-i", sharedInstance, "--", "/bin/busybox", "cat");
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(cat.out()).isEqualTo("hi\n");

        CliProcess.Result split = cli.run(env(bob), "", "exec", sharedInstance, "--", "/bin/busybox", "sh", "-c",
                "echo out; echo err >&2; exit 5");
        assertThat(split.exitCode()).as(split.toString()).isEqualTo(5);
        assertThat(split.out()).isEqualTo("out\n");
        assertThat(split.err()).isEqualTo("err\n");
    }

    @Test
    void every_session_is_recorded_as_started_by_its_caller_and_ended_with_its_exit_code() throws Exception {
        CliProcess.Result run = cli.run(env(bob), "", "exec", sharedInstance, "--", "/bin/busybox", "sh", "-c",
                "exit 7");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);

        Map<String, String> kafka = Map.of("bootstrap.servers", shared.environment().get("NANOFLEET_KAFKA"),
                "key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer",
                "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
                new java.util.HashMap<String, Object>(kafka))) {
            var partitions = consumer.partitionsFor("nanofleet.instances.v1").stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until(Duration.ofSeconds(60), "the session's end in nanofleet.instances.v1", () -> {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    com.fasterxml.jackson.databind.JsonNode e = json.readTree(record.value());
                    if (e.path("type").asText().startsWith("instance.exec-")
                            && sharedInstance.equals(e.path("data").path("instanceId").asText())) {
                        events.add(e);
                    }
                }
                return events.stream().anyMatch(e -> e.path("type").asText().equals("instance.exec-ended")
                        && e.path("data").path("exitCode").asInt() == 7);
            });
        }
        var ended = events.stream().filter(e -> e.path("type").asText().equals("instance.exec-ended")
                && e.path("data").path("exitCode").asInt() == 7).findFirst().orElseThrow();
        String session = ended.path("data").path("sessionId").asText();
        var started = events.stream().filter(e -> e.path("type").asText().equals("instance.exec-started")
                && e.path("data").path("sessionId").asText().equals(session)).findFirst().orElseThrow();
        assertThat(started.path("actor").asText()).isEqualTo("user:bob");
        assertThat(started.path("data").path("command").toString())
                .isEqualTo("[\"/bin/busybox\",\"sh\",\"-c\",\"exit 7\"]");
        assertThat(started.path("data").path("tty").asBoolean()).isFalse();
        assertThat(ended.path("actor").asText()).isEqualTo("user:bob");
    }

    @Test
    void a_terminal_session_in_runc_runs_a_shell() throws Exception {
        CliProcess.Result sh = cli.run(env(bob), "echo $((6*7)); exit 3\n", "exec", "-it", sharedInstance, "--",
                "/bin/busybox", "sh");
        assertThat(sh.exitCode()).as(sh.toString()).isEqualTo(3);
        // a terminal turns the shell's \n into \r\n; one run on three nodes read \r\r\n (a second translation
        // somewhere between runc's console and the CLI: open, see the fleet issue's note)
        assertThat(sh.out()).containsPattern("42\r\r?\n");
    }

    @Test
    void a_piped_session_in_a_vm_passes_stdin_keeps_stderr_apart_and_exits_with_the_remote_code() throws Exception {
        CliProcess.Result cat = cli.run(env(alice), "hi\n", "exec", "-i", vmInstance, "--", "/bin/busybox", "cat");
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(cat.out()).isEqualTo("hi\n");

        CliProcess.Result split = cli.run(env(alice), "", "exec", vmInstance, "--", "/bin/busybox", "sh", "-c",
                "echo out; echo err >&2; exit 5");
        assertThat(split.exitCode()).as(split.toString()).isEqualTo(5);
        assertThat(split.out()).isEqualTo("out\n");
        assertThat(split.err()).isEqualTo("err\n");
    }

    @Test
    void a_terminal_session_in_a_vm_runs_a_shell_as_the_images_user_in_its_root() throws Exception {
        CliProcess.Result sh = cli.run(env(alice), "echo $((6*7)) $(id -u) $(pwd); ls /www; exit 3\n", "exec", "-it",
                vmInstance, "--", "/bin/busybox", "sh");
        assertThat(sh.exitCode()).as(sh.toString()).isEqualTo(3);
        assertThat(sh.out()).contains("42 0 /www\r\n").contains("index.html");
    }

    @Test
    void exec_is_refused_with_a_problem_before_the_upgrade() throws Exception {
        // another tenant's instance and a malformed id look the same: 404
        CliProcess.Result foreign = cli.run(env(alice), "", "exec", sharedInstance, "--", "/bin/busybox", "id");
        assertThat(foreign.exitCode()).as(foreign.toString()).isEqualTo(1);
        assertThat(foreign.err()).contains("not found");
        given().auth().oauth2(alice).header("Upgrade", "websocket").queryParam("command", "id")
                .get(api + "/v1/instances/" + sharedInstance + "/exec").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(bob).queryParam("command", "id").get(api + "/v1/instances/not-a-uuid/exec").then()
                .statusCode(404);
        // no credential; a bad query names the field
        given().queryParam("command", "id").get(api + "/v1/instances/" + sharedInstance + "/exec").then()
                .statusCode(401);
        given().auth().oauth2(bob).queryParam("command", "id").queryParam("tty", "maybe")
                .get(api + "/v1/instances/" + sharedInstance + "/exec").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("tty"));
        // an API token without the exec scope
        String readOnly = given().auth().oauth2(bob).contentType(ContentType.JSON)
                .body(Map.of("name", "read-only-exec-e2e", "scopes", List.of("read"))).post(api + "/v1/tokens")
                .then().statusCode(201).extract().path("secret");
        given().auth().oauth2(readOnly).queryParam("command", "id")
                .get(api + "/v1/instances/" + sharedInstance + "/exec").then().statusCode(403);
        // an instance that is not running: 409
        String tooBig = given().auth().oauth2(bob).contentType(ContentType.JSON)
                .body(deployment("exec-waiting-e2e", "shared", 40_000)).post(api + "/v1/deployments").then()
                .statusCode(201).extract().path("id");
        CREATED.add(Map.entry(bob, tooBig));
        String waiting = instanceOf(bob, tooBig, "unschedulable", Duration.ofSeconds(60));
        given().auth().oauth2(bob).queryParam("command", "id").get(api + "/v1/instances/" + waiting + "/exec").then()
                .statusCode(409).contentType("application/problem+json");
    }

    @Test
    void a_line_makes_the_round_trip_through_control_api_and_back_in_both_modes() throws Exception {
        for (var mode : List.of(Map.entry("shared", Map.entry(bob, sharedInstance)), Map.entry("hardware",
                Map.entry(alice, vmInstance)))) {
            List<Long> micros = roundTrips(mode.getValue().getKey(), mode.getValue().getValue());
            Collections.sort(micros);
            double p50 = micros.get(micros.size() / 2) / 1000.0;
            double p99 = micros.get((int) Math.ceil(micros.size() * 0.99) - 1) / 1000.0;
            System.out.printf("exec.rtt mode=%s roundTrips=%d p50Ms=%.2f p99Ms=%.2f maxMs=%.2f%n", mode.getKey(),
                    micros.size(), p50, p99, micros.get(micros.size() - 1) / 1000.0);
            assertThat(p50).isLessThan(1000);
        }
    }

    /**
     * Sends a line to {@code cat} and waits for its echo, {@link #ROUND_TRIPS} times, over a WebSocket that carries its
     * token as the browser subprotocol.
     */
    private static List<Long> roundTrips(String token, String instance) throws Exception {
        LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("v1.exec.nanofleet.dev", "base64url.bearer.nanofleet.dev."
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(
                                StandardCharsets.UTF_8)))
                .buildAsync(URI.create(api.replaceFirst("^http", "ws") + "/v1/instances/" + instance
                        + "/exec?command=/bin/busybox&command=cat&stdin=true"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                                byte[] part = new byte[data.remaining()];
                                data.get(part);
                                message.writeBytes(part);
                                if (last) {
                                    received.add(message.toByteArray());
                                    message.reset();
                                }
                                w.request(1);
                                return null;
                            }
                        })
                .get(30, TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("v1.exec.nanofleet.dev");
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < ROUND_TRIPS + 10; i++) {
            byte[] line = ("line " + i + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(line.length + 1).put((byte) 0).put(line).flip();
            long began = System.nanoTime();
            ws.sendBinary(frame, true).get(10, TimeUnit.SECONDS);
            StringBuilder echoed = new StringBuilder();
            while (!echoed.toString().endsWith("line " + i + "\n")) {
                byte[] m = received.poll(10, TimeUnit.SECONDS);
                assertThat(m).as("the echo of line " + i).isNotNull();
                assertThat(m[0]).isEqualTo((byte) 1);
                echoed.append(new String(m, 1, m.length - 1, StandardCharsets.UTF_8));
            }
            if (i >= 10) { // the first ones warm up the path
                micros.add((System.nanoTime() - began) / 1000);
            }
        }
        ws.sendBinary(ByteBuffer.wrap(new byte[]{(byte) 255, 0}), true).get(10, TimeUnit.SECONDS);
        byte[] status = received.poll(10, TimeUnit.SECONDS);
        assertThat(status).isNotNull();
        assertThat(status[0]).isEqualTo((byte) 3);
        assertThat(new String(status, 1, status.length - 1, StandardCharsets.UTF_8)).contains("\"exitCode\":0");
        return micros;
    }

    private static Map<String, String> env(String token) {
        Map<String, String> env = new java.util.HashMap<>(CliProcess.environment(shared, shared.home.resolve(
                "exec-cli-config")));
        env.put("NANOFLEET_TOKEN", token);
        return env;
    }

    private static String runningInstance(String token, String name, String isolation, Duration deadline) {
        String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(deployment(name, "auto", 64)).post(api + "/v1/deployments").then().statusCode(201)
                .body("isolation", org.hamcrest.Matchers.equalTo(isolation)).extract().path("id");
        CREATED.add(Map.entry(token, id));
        return instanceOf(token, id, "running", deadline);
    }

    private static String instanceOf(String token, String deploymentId, String state, Duration deadline) {
        AtomicReference<String> last = new AtomicReference<>();
        try {
            return Await.value(deadline, "instance of " + deploymentId + " " + state, () -> {
                JsonPath body = given().auth().oauth2(token).get(api + "/v1/deployments/" + deploymentId).then()
                        .statusCode(200).extract().jsonPath();
                last.set(body.prettify());
                return state.equals(body.getString("instances[0].state")) ? body.getString("instances[0].id") : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlast answer: " + last.get() + "\n"
                    + shared.agentLogTails(20), e);
        }
    }

    private static Map<String, Object> deployment(String name, String isolation, int memoryMiB) {
        return Map.of("name", name, "image", shared.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", 1,
                "resources", Map.of("cpuMillis", 250, "memoryMiB", memoryMiB), "isolation", isolation);
    }
}
