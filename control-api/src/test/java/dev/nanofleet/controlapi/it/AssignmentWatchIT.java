package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.create;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The node agents' assignment watch against real PostgreSQL (its trigger and LISTEN), Kafka and Keycloak, and the start
 * timeline nodes report.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class AssignmentWatchIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["HARDWARE", "SHARED"]}""";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_nodes_stream_hears_a_placement_on_it_and_not_one_on_another_node() throws Exception {
        register("test-a");
        register("test-b");
        Placed elsewhere = deployOne();
        Placed here = deployOne();
        try (WatchStream watch = WatchStream.open("test-a", "test-a")) {
            assertThat(watch.status).isEqualTo(200);
            assertThat(watch.contentType).startsWith("text/event-stream");
            watch.awaitOpen();

            place(elsewhere, "test-b");
            place(here, "test-a");

            Await.until(DEADLINE, "a change on test-a's stream", () -> !watch.events.isEmpty());
            // test-b's placement committed first: had it woken test-a's stream, that event would be here already
            assertThat(watch.events).hasSize(1);
            assertThat(Long.parseLong(watch.events.get(0))).isPositive();

            // any code path that changes what the node runs wakes it: here the tenant deleting the deployment
            given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + here.deploymentId).then()
                    .statusCode(202);
            Await.until(DEADLINE, "the deletion on test-a's stream", () -> watch.events.size() >= 2);
            assertThat(Long.parseLong(watch.events.get(1))).isGreaterThan(Long.parseLong(watch.events.get(0)));
        }
    }

    @Test
    void a_stream_for_another_nodes_path_is_refused() throws Exception {
        try (WatchStream watch = WatchStream.open("test-a", "test-b")) {
            assertThat(watch.status).isEqualTo(403);
            assertThat(watch.contentType).startsWith("application/problem+json");
        }
    }

    @Test
    void a_second_stream_of_a_node_ends_the_first() throws Exception {
        register("test-a");
        try (WatchStream first = WatchStream.open("test-a", "test-a")) {
            first.awaitOpen();
            try (WatchStream second = WatchStream.open("test-a", "test-a")) {
                second.awaitOpen();
                Await.until(DEADLINE, "the first stream ended", () -> first.ended);

                place(deployOne(), "test-a");
                Await.until(DEADLINE, "a change on the second stream", () -> !second.events.isEmpty());
            }
        }
    }

    @Test
    void a_report_with_a_bad_timeline_is_refused_naming_the_field() {
        register("test-a");
        Placed placed = deployOne();
        place(placed, "test-a");
        Instant now = Instant.now();

        report(placed.instanceId, """
                {"state": "RUNNING", "timeline": {"deliveredAt": "%s", "pulledAt": "%s"}}"""
                .formatted(now, now.minusSeconds(1))).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("timeline.pulledAt"));
        report(placed.instanceId, """
                {"state": "RUNNING", "timeline": {"startedAt": "%s"}}""".formatted(now.plus(Duration.ofHours(1))))
                .statusCode(400).body("errors[0].field", equalTo("timeline.startedAt"));
        report(placed.instanceId, """
                {"state": "RUNNING", "timeline": {"startedAt": "yesterday"}}""").statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void the_tenant_sees_the_timeline_of_its_instances_start_and_the_phases_are_timed() {
        register("test-a");
        Placed placed = deployOne();
        Instant relayed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // PostgreSQL keeps microseconds: times to the millisecond come back as they went in
        Event<InstancePlaced> event = Event.of("scheduler-it", Instant.now().truncatedTo(ChronoUnit.MILLIS), "bob",
                placed.instanceId.toString(), new InstancePlaced(placed.instanceId, placed.deploymentId, "test-a",
                        Isolation.SHARED, relayed));
        SchedulerStandIn.publish(event);
        SchedulerStandIn.awaitProcessed(dataSource, event);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant delivered = now.minusMillis(30);
        Instant pulled = now.minusMillis(20);
        Instant started = now.minusMillis(10);

        report(placed.instanceId, """
                {"state": "RUNNING", "timeline": {"deliveredAt": "%s", "pulledAt": "%s", "startedAt": "%s"}}"""
                .formatted(delivered, pulled, started)).statusCode(204);

        String timeline = "instances[0].timeline.";
        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + placed.deploymentId).then()
                .statusCode(200).body(timeline + "acceptedAt", notNullValue())
                .body(timeline + "relayedAt", equalTo(relayed.toString()))
                .body(timeline + "placedAt", equalTo(event.time().toString()))
                .body(timeline + "deliveredAt", equalTo(delivered.toString()))
                .body(timeline + "pulledAt", equalTo(pulled.toString()))
                .body(timeline + "startedAt", equalTo(started.toString()))
                .body(timeline + "reportedAt", notNullValue());
        given().auth().oauth2(Tokens.user("alice")).get("/v1/deployments/" + placed.deploymentId).then()
                .statusCode(404);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("nanofleet_instance_start_phase_seconds_count{phase=\"pull\"}",
                "nanofleet_instance_start_phase_seconds_count{phase=\"total\"}");
    }

    private record Placed(UUID deploymentId, UUID instanceId) {
    }

    private static Placed deployOne() {
        var created = create("bob", body(uniqueName("watch")).replace("\"replicas\": 2", "\"replicas\": 1"))
                .statusCode(201).extract();
        return new Placed(UUID.fromString(created.path("id")), UUID.fromString(created.path("instances[0].id")));
    }

    private void place(Placed placed, String node) {
        Event<InstancePlaced> event = SchedulerStandIn.publish("bob", placed.instanceId.toString(),
                new InstancePlaced(placed.instanceId, placed.deploymentId, node, Isolation.SHARED));
        SchedulerStandIn.awaitProcessed(dataSource, event);
    }

    private static void register(String node) {
        given().auth().oauth2(Tokens.node(node)).contentType(ContentType.JSON).body(REGISTRATION)
                .post(NodeApi.REGISTRATION.replace("{node}", node)).then().statusCode(200);
    }

    private static ValidatableResponse report(UUID instanceId, String json) {
        return given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON).body(json)
                .put(NodeApi.INSTANCE_STATUS.replace("{node}", "test-a").replace("{instanceId}",
                        instanceId.toString()))
                .then();
    }

    /** A node's watch stream: the data of each {@code changed} event, and whether it opened and ended. */
    private static final class WatchStream implements AutoCloseable {
        final int status;
        final String contentType;
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile boolean opened;
        volatile boolean ended;
        private final InputStream body;

        private WatchStream(HttpResponse<InputStream> response) {
            status = response.statusCode();
            contentType = response.headers().firstValue("Content-Type").orElse("");
            body = response.body();
            Thread.ofPlatform().daemon().start(this::read);
        }

        static WatchStream open(String tokenNode, String pathNode) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                    + NodeApi.ASSIGNMENTS_WATCH.replace("{node}", pathNode)))
                    .header("Authorization", "Bearer " + Tokens.node(tokenNode))
                    .header("Accept", "text/event-stream").build();
            // a client per stream: a pooled connection the server closed (an ended stream) would answer EOF
            return new WatchStream(HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream()));
        }

        void awaitOpen() {
            Await.until(DEADLINE, "the stream's first comment", () -> opened);
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String event = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(":")) {
                        opened = true;
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:") && NodeApi.WATCH_CHANGED.equals(event)) {
                        events.add(line.substring(5).strip());
                    } else if (line.isEmpty()) {
                        event = null;
                    }
                }
            } catch (IOException e) {
                // closed by the test
            } finally {
                ended = true;
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
