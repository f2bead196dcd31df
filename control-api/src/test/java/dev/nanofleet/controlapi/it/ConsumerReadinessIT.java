package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * control-api's readiness includes its instance-event consumer (messaging's ConsumerRecoveryIT shows it going DOWN and
 * UP again around an eviction), and the messaging metrics are published.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class ConsumerReadinessIT {

    @Test
    void readiness_reports_the_instance_event_consumer_running_and_the_messaging_metrics_are_published() {
        Await.untilAsserted(Duration.ofSeconds(60), "the consumer reported ready", () -> given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'kafka-consumer' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'kafka-consumer' }.data.state", equalTo("RUNNING"))
                .body("checks.find { it.name == 'kafka-consumer' }.data.restarts", equalTo("0")));

        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("nanofleet_messaging_consumer_up{group=\"control-api\"} 1.0"))
                .body(containsString("nanofleet_messaging_dead_lettered_total{group=\"control-api\"}"))
                .body(containsString("nanofleet_outbox_parked_rows{service=\"control-api\"} 0.0"));
    }
}
