package dev.nanofleet.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest the chart renders, under each combination of values an operator is expected to use, fits the
 * Kubernetes schemas (see {@link ManifestValidator} for what that covers and what not).
 */
class SchemaValidationTest {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Map<String, Integer> RENDERED = new LinkedHashMap<>();

    private final Chart chart = Chart.ofThisCheckout();
    private final ManifestValidator validator = new ManifestValidator();

    static Stream<Arguments> valueSets() {
        String key = "c2VhbGluZy1rZXktb2YtdGhpcnR5LXR3by1ieXRlcyE=";
        return Stream.of(
                Arguments.of("defaults", Map.of()),
                Arguments.of("kafka by strimzi", Map.of("kafka.mode", "strimzi")),
                Arguments.of("postgresql by cloudnativepg", Map.of("postgresql.mode", "cloudnativepg")),
                Arguments.of("keycloak by its operator", Map.of("keycloak.mode", "operator", "postgresql.mode",
                        "cloudnativepg", "keycloak.operator.tlsSecretName", "sso-tls")),
                Arguments.of("keycloak by its operator on an external database", Map.of("keycloak.mode", "operator",
                        "keycloak.operator.db.host", "pg.example", "keycloak.operator.db.existingSecret", "kc-db")),
                Arguments.of("several replicas", Map.of("controlApi.replicas", 7, "scheduler.replicas", 5,
                        "tenantBilling.replicas", 3, "webUi.replicas", 4)),
                Arguments.of("single replicas", Map.of("controlApi.replicas", 1, "scheduler.replicas", 1,
                        "tenantBilling.replicas", 1, "webUi.replicas", 1)),
                Arguments.of("chart-made secret", Map.of("secrets.generateAtInstall", false,
                        "secrets.controlApiSecretsKey", key, "secrets.logsSigningKey", key,
                        "secrets.keycloakAdminClientSecret", "s3cret")),
                Arguments.of("everything on", everythingOn()));
    }

    private static Map<String, Object> everythingOn() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("kafka.mode", "strimzi");
        values.put("postgresql.mode", "cloudnativepg");
        values.put("keycloak.mode", "operator");
        values.put("controlApi.replicas", 5);
        values.put("scheduler.replicas", 3);
        values.put("controlApi.ingress.enabled", true);
        values.put("controlApi.ingress.className", "nginx");
        values.put("controlApi.ingress.tlsSecretName", "api-tls");
        values.put("webUi.ingress.enabled", true);
        values.put("tenantBilling.ingress.enabled", true);
        values.put("serviceMonitor.enabled", true);
        values.put("image.digest", "sha256:" + "0f".repeat(32));
        values.put("image.pullSecrets[0]", "registry-credentials");
        values.put("controlApi.agentNetworks[0]", "10.20.0.0/16");
        values.put("controlApi.extraEnv[0].name", "NANOFLEET_LOGS_RETENTION");
        values.put("controlApi.extraEnv[0].value", "2h");
        values.put("scheduler.nodeSelector.pool", "control-plane");
        values.put("kafka.strimzi.resources.requests.memory", "2Gi");
        values.put("kafka.strimzi.version", "4.1.0");
        return values;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void every_rendered_manifest_fits_the_kubernetes_schemas(String name, Map<String, Object> values) {
        Chart.Rendered rendered = chart.render(values);

        List<String> problems = new ArrayList<>();
        rendered.documents().forEach(manifest -> problems.addAll(validator.problems(manifest)));

        assertThat(rendered.documents()).isNotEmpty();
        assertThat(problems).as(name).isEmpty();
        RENDERED.put(name, rendered.documents().size());
    }

    @Test
    void the_validator_refuses_a_field_the_schema_does_not_have() throws Exception {
        JsonNode deployment = YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typo}
                spec:
                  replica: 3
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec: {containers: [{name: c, image: i}]}
                """);

        assertThat(validator.problems(deployment)).singleElement().asString()
                .contains("does not fit the schema", "replica");
    }

    @Test
    void the_validator_refuses_a_value_of_the_wrong_type() throws Exception {
        JsonNode service = YAML.readTree("""
                apiVersion: v1
                kind: Service
                metadata: {name: svc}
                spec:
                  ports: [{port: "eighty"}]
                """);

        assertThat(validator.problems(service)).singleElement().asString().contains("does not fit the schema");
    }

    @Test
    void the_validator_refuses_a_strimzi_resource_with_a_field_its_crd_does_not_have() throws Exception {
        JsonNode topic = YAML.readTree("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t, labels: {strimzi.io/cluster: c}}
                spec: {partitions: 3, replicas: 3, retention: 7d}
                """);

        assertThat(validator.problems(topic)).singleElement().asString()
                .contains("does not fit the schema", "retention");
    }

    @Test
    void the_validator_refuses_an_unknown_api_version_and_a_missing_required_field() throws Exception {
        JsonNode oldBudget = YAML.readTree("""
                apiVersion: policy/v1beta1
                kind: PodDisruptionBudget
                metadata: {name: old}
                """);
        JsonNode topic = YAML.readTree("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: Bad_Name}
                spec: {partitions: 3, replicas: 3}
                """);

        assertThat(validator.problems(oldBudget)).singleElement().asString().contains("not a kind");
        assertThat(validator.problems(topic)).anyMatch(p -> p.contains("DNS subdomain"))
                .anyMatch(p -> p.contains("strimzi.io~1cluster"));
    }

    @AfterAll
    static void report() {
        // the figures deploy/README.md quotes
        int total = RENDERED.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("[helm] manifests rendered and validated: " + total + " in " + RENDERED.size()
                + " value sets " + RENDERED);
    }
}
