package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.create;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static dev.nanofleet.controlapi.it.NodeApiIT.assignments;
import static dev.nanofleet.controlapi.it.NodeApiIT.register;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Env values and secrets stay in PostgreSQL (secrets sealed) and reach only the node that runs a replica: not the
 * deployments topic, not the API's answers.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class DeploymentSecretsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["HARDWARE", "SHARED"],
             "agentVersion": "0.1.0"}""";

    @Inject
    AgroalDataSource dataSource;

    private final String envValue = "plain-" + UUID.randomUUID();
    private final String secretValue = "s3cret-" + UUID.randomUUID();

    private String body(String name) {
        return """
                {"name": "%s", "image": "busybox:1.36", "replicas": 1,
                 "resources": {"cpuMillis": 100, "memoryMiB": 64},
                 "command": ["sh", "-c", "echo $API_TOKEN"], "env": {"GREETING": "%s"},
                 "secrets": {"API_TOKEN": "%s"}}""".formatted(name, envValue, secretValue);
    }

    @Test
    void the_deployment_created_event_carries_no_env_command_or_secret_values() {
        String id = create("bob", body(uniqueName("sealed"))).statusCode(201).extract().path("id");

        String wire = new String(awaitRecord(Topics.DEPLOYMENTS, id), StandardCharsets.UTF_8);

        assertThat(wire).contains("\"type\":\"deployment.created\"", "\"schemaversion\":2");
        assertThat(wire).doesNotContain(envValue, secretValue, "API_TOKEN", "\"env\"", "\"command\"");
    }

    @Test
    void the_api_shows_secret_names_but_never_their_values() throws Exception {
        var created = create("bob", body(uniqueName("names"))).statusCode(201)
                .body("secretNames", equalTo(List.of("API_TOKEN"))).extract();
        String id = created.path("id");
        assertThat(created.asString()).doesNotContain(secretValue);

        String read = given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + id).then().statusCode(200)
                .body("secretNames", equalTo(List.of("API_TOKEN"))).body("env.GREETING", equalTo(envValue))
                .extract().asString();
        String listed = given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments").then().statusCode(200)
                .extract().asString();
        assertThat(read).doesNotContain(secretValue);
        assertThat(listed).doesNotContain(secretValue);
        try (Connection db = dataSource.getConnection();
                PreparedStatement q = db.prepareStatement("SELECT secrets_sealed::text FROM deployment WHERE id = ?")) {
            q.setObject(1, UUID.fromString(id));
            try (ResultSet row = q.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).contains("API_TOKEN").doesNotContain(secretValue);
            }
        }
    }

    @Test
    void only_the_node_running_the_replica_gets_the_secret_in_its_assignment() {
        var created = create("bob", body(uniqueName("assigned"))).statusCode(201).extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        register("test-a", "test-a", REGISTRATION).statusCode(200);
        register("test-b", "test-b", REGISTRATION).statusCode(200);

        SchedulerStandIn.publish(Event.of("scheduler-it", Instant.now(), "globex", instanceId, new InstancePlaced(
                UUID.fromString(instanceId), UUID.fromString(deploymentId), "test-a", Isolation.SHARED)));

        String mine = "assignments.find { it.instanceId == '" + instanceId + "' }";
        Await.untilAsserted(DEADLINE, "instance " + instanceId + " assigned to test-a",
                () -> assignments("test-a").body("assignments.instanceId", hasItem(instanceId)));
        assignments("test-a").body(mine + ".env.API_TOKEN", equalTo(secretValue))
                .body(mine + ".env.GREETING", equalTo(envValue));
        String other = assignments("test-b").body("assignments.instanceId", not(hasItem(instanceId))).extract()
                .asString();
        assertThat(other).doesNotContain(secretValue);
    }

    private static byte[] awaitRecord(String topic, String key) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Consumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "it-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            return Await.value(DEADLINE, "a record for " + key + " on " + topic, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key()) && EventCodec.decode(record.value()).isPresent()) {
                        return record.value();
                    }
                }
                return null;
            });
        }
    }
}
