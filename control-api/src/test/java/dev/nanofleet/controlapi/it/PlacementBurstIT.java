package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.create;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's decisions arrive in bursts, which control-api's consumer applies a poll at a time in one
 * transaction: every decision of the burst takes effect once, and the ones that must not (an unknown instance, a
 * replica scaled away, the same event twice) change nothing and hold up none of the others.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class PlacementBurstIT {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_burst_of_placements_applies_each_once_and_skips_what_must_not_apply() throws Exception {
        String id = create("bob", body(uniqueName("burst")).replace("\"replicas\": 2", "\"replicas\": 4"))
                .statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("{\"replicas\": 3}")
                .patch("/v1/deployments/" + id).then().statusCode(200);
        List<String> instances = instances(id).getList("instances.id");
        UUID deployment = UUID.fromString(id);
        Event<InstancePlaced> first = placed(instances.get(0), deployment, "burst-a");
        Event<InstancePlaced> second = placed(instances.get(1), deployment, "burst-b");
        Event<InstancePlaced> third = placed(instances.get(2), deployment, "burst-a");
        Event<InstancePlaced> scaledAway = placed(instances.get(3), deployment, "burst-b");
        Event<InstancePlaced> unknown = placed(UUID.randomUUID().toString(), deployment, "burst-b");

        // one producer, one flush: the consumer reads them in as few polls as Kafka hands over
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, "scheduler-it")) {
            for (Event<?> event : List.of(first, unknown, second, third, third, scaledAway)) {
                producer.send(new ProducerRecord<>(event.topic(), event.partitionKey(), EventCodec.encode(event)));
            }
            producer.flush();
        }
        for (Event<?> event : List.of(first, second, third, scaledAway, unknown)) {
            SchedulerStandIn.awaitProcessed(dataSource, event);
        }

        JsonPath view = instances(id);
        assertThat(view.getString(one(instances.get(0), "node"))).isEqualTo("burst-a");
        assertThat(view.getString(one(instances.get(1), "node"))).isEqualTo("burst-b");
        assertThat(view.getString(one(instances.get(2), "node"))).isEqualTo("burst-a");
        assertThat(view.getString(one(instances.get(3), "node"))).as("scaled away before it was placed").isNull();
        assertThat(view.getString(one(instances.get(3), "desiredState"))).isEqualTo("stopped");
    }

    private static Event<InstancePlaced> placed(String instance, UUID deployment, String node) {
        return SchedulerStandIn.event("globex", instance,
                new InstancePlaced(UUID.fromString(instance), deployment, node, Isolation.SHARED, null));
    }

    private static JsonPath instances(String id) {
        return given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    private static String one(String instanceId, String field) {
        return "instances.find { it.id == '" + instanceId + "' }." + field;
    }
}
