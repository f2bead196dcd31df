package dev.nanofleet.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** helm lint, and values.schema.json turning a bad value into a clear refusal before anything renders. */
class ChartLintTest {

    private final Chart chart = Chart.ofThisCheckout();

    @Test
    void the_chart_passes_a_strict_lint() {
        LintResult result = chart.lint();

        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    }

    @Test
    void the_chart_lints_with_every_backend_made_by_its_operator_and_several_replicas(@TempDir Path work) {
        LintResult result = chart.lintWithValues(work, Map.of("kafka.mode", "strimzi", "postgresql.mode",
                "cloudnativepg", "keycloak.mode", "operator", "controlApi.replicas", 6, "scheduler.replicas", 4,
                "serviceMonitor.enabled", true));

        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    }

    @Test
    void a_negative_replica_count_in_the_values_file_fails_the_lint_naming_the_value(@TempDir Path work) {
        LintResult result = chart.lintWithValues(work, Map.of("controlApi.replicas", -1));

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("/controlApi/replicas")
                .contains("minimum: got -1, want 0");
    }

    @Test
    void a_negative_replica_count_given_with_set_stops_rendering_naming_the_value() {
        assertThatThrownBy(() -> chart.render(Map.of("scheduler.replicas", -1)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("/scheduler/replicas")
                .hasMessageContaining("minimum: got -1, want 0");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "kafka.mode|zookeeper",
            "postgresql.mode|sqlite",
            "keycloak.mode|embedded",
            "image.digest|latest",
            "image.pullPolicy|Sometimes",
            "kafka.external.bootstrapServers|kafka",
            "kafka.replicationFactor|0",
            "secrets.controlApiSecretsKey|too-short",
            "controlApi.port|70000",
            "controlApi.portalOrigins[0]|portal.example",
            "controlApi.agentNetworks[0]|not-a-cidr",
            "webUi.ingress.host|Portal_Example"})
    void a_value_outside_the_schema_stops_rendering_naming_it(String key, String value) {
        String named = "/" + key.replaceAll("\\[0]", "/0").replace('.', '/');

        assertThatThrownBy(() -> chart.render(Map.of(key, value)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    @Test
    void a_misspelt_value_name_stops_rendering_naming_it() {
        assertThatThrownBy(() -> chart.render(Map.of("controlAPI.replicas", 2)))
                .hasMessageContaining("additional properties 'controlAPI' not allowed");
    }
}
