package dev.nanofleet.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backends made by their operators (Strimzi, CloudNativePG, Keycloak) and how the services are pointed at them. */
class BackendOperatorsTest {

    private static final List<String> OPERATOR_KINDS = List.of("Kafka", "KafkaNodePool", "KafkaTopic", "Cluster",
            "Keycloak");

    private final Chart chart = Chart.ofThisCheckout();

    @Test
    void external_backends_are_the_default_and_no_operator_resource_is_rendered() {
        assertThat(chart.render().kinds()).doesNotContainAnyElementsOf(OPERATOR_KINDS);
    }

    @Test
    void strimzi_makes_a_kraft_cluster_and_a_topic_for_every_topic_the_services_use() {
        Chart.Rendered rendered = chart.render(Map.of("kafka.mode", "strimzi", "kafka.strimzi.replicas", 5,
                "kafka.replicationFactor", 3, "kafka.partitions", 12));

        JsonNode kafka = rendered.one("Kafka", "nf-nanofleet-kafka");
        assertThat(kafka.at("/metadata/annotations/strimzi.io~1kraft").asText()).isEqualTo("enabled");
        assertThat(kafka.at("/spec/kafka/config/min.insync.replicas").asInt()).isEqualTo(2);
        JsonNode pool = rendered.one("KafkaNodePool", "nf-nanofleet-kafka-dual");
        assertThat(pool.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(pool.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("nf-nanofleet-kafka");
        assertThat(rendered.ofKind("KafkaTopic")).extracting(t -> t.at("/spec/topicName").asText())
                .containsExactlyInAnyOrder("nanofleet.deployments.v1", "nanofleet.instances.v1",
                        "nanofleet.nodes.v1", "nanofleet.usage.v1", "nanofleet.billing.v1",
                        "nanofleet.dlq.control-api.v1", "nanofleet.dlq.scheduler.v1",
                        "nanofleet.dlq.tenant-billing.v1");
        assertThat(rendered.ofKind("KafkaTopic")).allSatisfy(topic -> {
            assertThat(topic.at("/spec/partitions").asInt()).isEqualTo(12);
            assertThat(topic.at("/spec/replicas").asInt()).isEqualTo(3);
        });
        for (String service : List.of("control-api", "scheduler", "tenant-billing")) {
            assertThat(rendered.env("nf-nanofleet-" + service).get("KAFKA_BOOTSTRAP_SERVERS").path("value").asText())
                    .isEqualTo("nf-nanofleet-kafka-kafka-bootstrap:9092");
        }
    }

    @Test
    void strimzi_refuses_a_replication_factor_above_its_broker_count() {
        assertThatThrownBy(() -> chart.render(Map.of("kafka.mode", "strimzi", "kafka.strimzi.replicas", 1,
                "kafka.replicationFactor", 3)))
                .hasMessageContaining("kafka.replicationFactor (3) exceeds kafka.strimzi.replicas (1)");
    }

    @Test
    void cloudnativepg_makes_a_cluster_with_every_services_database_and_the_services_use_its_credentials() {
        Chart.Rendered rendered = chart.render(Map.of("postgresql.mode", "cloudnativepg",
                "postgresql.cloudnativepg.instances", 3));

        JsonNode cluster = rendered.one("Cluster", "nf-nanofleet-pg");
        assertThat(cluster.at("/spec/instances").asInt()).isEqualTo(3);
        assertThat(cluster.at("/spec/bootstrap/initdb/database").asText()).isEqualTo("controlapi");
        assertThat(cluster.at("/spec/bootstrap/initdb/postInitSQL").toString())
                .contains("CREATE DATABASE scheduler OWNER nanofleet", "CREATE DATABASE billing OWNER nanofleet");
        Map<String, JsonNode> env = rendered.env("nf-nanofleet-scheduler");
        assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL").path("value").asText())
                .isEqualTo("jdbc:postgresql://nf-nanofleet-pg-rw:5432/scheduler");
        assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/name").asText())
                .isEqualTo("nf-nanofleet-pg-app");
        assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/key").asText())
                .isEqualTo("password");
    }

    @Test
    void the_keycloak_operator_gets_its_database_from_cloudnativepg_and_the_services_check_the_public_issuer() {
        Chart.Rendered rendered = chart.render(Map.of("keycloak.mode", "operator", "postgresql.mode",
                "cloudnativepg", "keycloak.operator.hostname", "sso.example.org"));

        JsonNode keycloak = rendered.one("Keycloak", "nf-nanofleet-keycloak");
        assertThat(keycloak.at("/spec/db/host").asText()).isEqualTo("nf-nanofleet-pg-rw");
        assertThat(keycloak.at("/spec/db/passwordSecret/name").asText()).isEqualTo("nf-nanofleet-pg-app");
        assertThat(keycloak.at("/spec/hostname/hostname").asText()).isEqualTo("https://sso.example.org");
        assertThat(keycloak.at("/spec/hostname/backchannelDynamic").asBoolean()).isTrue();
        assertThat(rendered.one("Cluster", "nf-nanofleet-pg").at("/spec/bootstrap/initdb/postInitSQL").toString())
                .contains("CREATE DATABASE keycloak OWNER nanofleet");
        Map<String, JsonNode> env = rendered.env("nf-nanofleet-control-api");
        assertThat(env.get("QUARKUS_OIDC_AUTH_SERVER_URL").path("value").asText())
                .isEqualTo("http://nf-nanofleet-keycloak-service:8080/realms/nanofleet");
        assertThat(env.get("QUARKUS_OIDC_TOKEN_ISSUER").path("value").asText())
                .isEqualTo("https://sso.example.org/realms/nanofleet");
        assertThat(rendered.env("nf-nanofleet-web-ui").get("NANOFLEET_WEB_UI_OIDC_ISSUER").path("value").asText())
                .isEqualTo("https://sso.example.org/realms/nanofleet");
    }

    @Test
    void the_keycloak_operator_without_a_database_stops_rendering_naming_the_values_to_set() {
        assertThatThrownBy(() -> chart.render(Map.of("keycloak.mode", "operator")))
                .hasMessageContaining("keycloak.mode=operator needs keycloak.operator.db.host");
    }

    @Test
    void all_three_operators_together_render_beside_the_services() {
        Chart.Rendered rendered = chart.render(Map.of("kafka.mode", "strimzi", "postgresql.mode", "cloudnativepg",
                "keycloak.mode", "operator"));

        assertThat(rendered.kinds()).containsAll(OPERATOR_KINDS).contains("Deployment", "Service");
    }
}
