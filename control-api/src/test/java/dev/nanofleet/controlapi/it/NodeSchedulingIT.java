package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.events.NodeSchedulingChanged;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Operators cordon, drain and uncordon nodes, against real PostgreSQL, Kafka and Keycloak. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class NodeSchedulingIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String NODE = "test-a";
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["HARDWARE", "SHARED"],
             "labels": {"zone": "a"}, "agentVersion": "0.1.0"}""";

    @Test
    void an_operator_cordons_drains_and_uncordons_a_node_and_each_change_is_published_once() {
        register().statusCode(200);
        action("ops", NODE, "uncordon").statusCode(200); // whatever an earlier run left
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        register().statusCode(200).body("scheduling", equalTo("SCHEDULABLE"));
        action("ops", NODE, "cordon").statusCode(200).contentType(ContentType.JSON).body("name", equalTo(NODE))
                .body("scheduling", equalTo("cordoned")).body("state", equalTo("ready"));
        action("ops", NODE, "cordon").statusCode(200).body("scheduling", equalTo("cordoned"));
        given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes").then().statusCode(200)
                .body("find { it.name == '" + NODE + "' }.scheduling", equalTo("cordoned"));
        // a restarted agent registering again does not undo the operator's cordon
        register().statusCode(200).body("scheduling", equalTo("CORDONED"));

        action("ops", NODE, "drain").statusCode(200).body("scheduling", equalTo("draining"));
        action("ops", NODE, "drain").statusCode(200).body("scheduling", equalTo("draining"));
        action("ops", NODE, "uncordon").statusCode(200).body("scheduling", equalTo("schedulable"));
        action("ops", NODE, "uncordon").statusCode(200).body("scheduling", equalTo("schedulable"));

        // one node's events share a partition: once the uncordon arrives, any duplicate would have arrived before it
        List<NodeScheduling> published = awaitSchedulingChanges(start, NodeScheduling.SCHEDULABLE);
        assertThat(published).containsExactly(NodeScheduling.CORDONED, NodeScheduling.DRAINING,
                NodeScheduling.SCHEDULABLE);
    }

    @Test
    void a_heartbeat_racing_an_operators_cordon_never_undoes_it() throws Exception {
        register().statusCode(200);
        String token = Tokens.node(NODE);
        for (int round = 0; round < 15; round++) {
            NodeScheduling wanted = round % 2 == 0 ? NodeScheduling.CORDONED : NodeScheduling.SCHEDULABLE;
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> heartbeats = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                heartbeats.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        given().auth().oauth2(token).post(NodeApi.HEARTBEAT.replace("{node}", NODE)).then()
                                .statusCode(204);
                    }
                }));
            }
            action("ops", NODE, wanted == NodeScheduling.CORDONED ? "cordon" : "uncordon").statusCode(200)
                    .body("scheduling", equalTo(wanted.name().toLowerCase(Locale.ROOT)));
            stop.set(true);
            for (Thread heartbeat : heartbeats) {
                heartbeat.join(DEADLINE.toMillis());
            }
            // every heartbeat has committed: what the operator set must still be there
            given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes").then().statusCode(200)
                    .body("find { it.name == '" + NODE + "' }.scheduling",
                            equalTo(wanted.name().toLowerCase(Locale.ROOT)));
        }
        action("ops", NODE, "uncordon").statusCode(200);
    }

    @Test
    void tenants_nodes_and_anonymous_callers_may_not_change_a_nodes_scheduling() {
        register().statusCode(200);
        for (String verb : List.of("cordon", "drain", "uncordon")) {
            action("alice", NODE, verb).statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("urn:nanofleet:problem:forbidden"));
            action("bob", NODE, verb).statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(Tokens.node(NODE)).post("/v1/nodes/" + NODE + "/" + verb).then().statusCode(403);
            given().post("/v1/nodes/" + NODE + "/" + verb).then().statusCode(401);
        }
    }

    @Test
    void an_unknown_node_is_not_found() {
        String unknown = "no-such-node-" + UUID.randomUUID().toString().substring(0, 8);
        for (String verb : List.of("cordon", "drain", "uncordon")) {
            action("ops", unknown, verb).statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("urn:nanofleet:problem:not-found"))
                    .body("detail", containsString(unknown))
                    .body("instance", equalTo("/v1/nodes/" + unknown + "/" + verb));
        }
    }

    private static ValidatableResponse register() {
        return given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON).body(REGISTRATION)
                .post(NodeApi.REGISTRATION.replace("{node}", NODE)).then();
    }

    private static ValidatableResponse action(String user, String node, String verb) {
        return given().auth().oauth2(Tokens.user(user)).post("/v1/nodes/" + node + "/" + verb).then();
    }

    /**
     * Reads the nodes topic from the start with a fresh group and returns the node's scheduling changes published since
     * {@code since}, in order, up to and including the first that is {@code last}.
     */
    private static List<NodeScheduling> awaitSchedulingChanges(Instant since, NodeScheduling last) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        List<NodeScheduling> seen = new ArrayList<>();
        try (Consumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "it-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.NODES));
            return Await.value(DEADLINE, "node.scheduling-changed for " + NODE, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!NODE.equals(record.key())) {
                        continue;
                    }
                    Optional<Event<?>> event = EventCodec.decode(record.value());
                    if (event.isPresent() && !event.get().time().isBefore(since)
                            && event.get().data() instanceof NodeSchedulingChanged changed) {
                        assertThat(changed.nodeName()).isEqualTo(NODE);
                        seen.add(changed.scheduling());
                        if (changed.scheduling() == last) {
                            return List.copyOf(seen);
                        }
                    }
                }
                return null;
            });
        }
    }
}
