package dev.nanofleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateRequestTest {

    private final ObjectMapper json = new ObjectMapper();

    private final JsonNode current = read("""
            {"id":"d1","name":"web","image":"reg/web:1","replicas":3,"resources":{"cpuMillis":250,"memoryMiB":64},
             "env":{"A":"1","B":"2"},"secretNames":["TOKEN"],"restartPolicy":{"mode":"on-failure","maxRetries":7}}""");

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static UpdateRequest.Flags flags() {
        return new UpdateRequest.Flags(null, null, null, null, null, null, null, null, null, null, null, null, false,
                null, null, null, null, null);
    }

    private ObjectNode build(UpdateRequest.Flags flags) {
        return UpdateRequest.build(current, null, flags, json);
    }

    @Test
    void an_env_flag_is_merged_into_the_current_env_because_the_api_replaces_the_map() {
        UpdateRequest.Flags f = new UpdateRequest.Flags(null, null, null, null, null, null, Map.of("B", "3", "C",
                "4"), List.of("A"), null, null, null, null, false, null, null, null, null, null);

        assertThat(build(f)).isEqualTo(read("{\"env\":{\"B\":\"3\",\"C\":\"4\"}}"));
    }

    @Test
    void unsetting_a_variable_the_deployment_does_not_have_is_a_usage_error() {
        UpdateRequest.Flags f = new UpdateRequest.Flags(null, null, null, null, null, null, null, List.of("TOKEN"),
                null, null, null, null, false, null, null, null, null, null);

        assertThatThrownBy(() -> build(f)).isInstanceOf(CliException.class).hasMessageContaining("it is a secret");
    }

    @Test
    void one_half_of_the_resources_keeps_the_other_half() {
        UpdateRequest.Flags f = new UpdateRequest.Flags(null, null, null, 128, null, null, null, null, null, null,
                null, null, false, null, null, null, null, null);

        assertThat(build(f)).isEqualTo(read("{\"resources\":{\"cpuMillis\":250,\"memoryMiB\":128}}"));
    }

    @Test
    void a_secret_flag_must_name_every_secret_since_their_values_cannot_be_read_back() {
        UpdateRequest.Flags partial = new UpdateRequest.Flags(null, null, null, null, null, null, null, null, Map.of(
                "OTHER", "x"), null, null, null, false, null, null, null, null, null);
        UpdateRequest.Flags all = new UpdateRequest.Flags(null, null, null, null, null, null, null, null, Map.of(
                "TOKEN", "new"), null, null, null, false, null, null, null, null, null);

        assertThatThrownBy(() -> build(partial)).isInstanceOf(CliException.class).hasMessageContaining(
                "give TOKEN too");
        assertThat(build(all)).isEqualTo(read("{\"secrets\":{\"TOKEN\":\"new\"}}"));
    }

    @Test
    void health_check_and_rollout_flags_become_their_objects() {
        UpdateRequest.Flags f = new UpdateRequest.Flags(null, "reg/web:2", null, null, null, null, null, null, null,
                null, "always", UpdateRequest.HealthCheck.http("8080/healthz").every(2), false, "1", "0", 5, 30, false);

        assertThat(build(f)).isEqualTo(read("""
                {"image":"reg/web:2","restartPolicy":{"mode":"always","maxRetries":7},
                 "healthCheck":{"type":"http","port":8080,"path":"/healthz","intervalSeconds":2},
                 "rolloutPolicy":{"maxSurge":"1","maxUnavailable":"0","minReadySeconds":5,
                                  "progressDeadlineSeconds":30,"autoRollback":false}}"""));
    }

    @Test
    void no_health_check_asks_the_api_to_remove_it() {
        UpdateRequest.Flags f = new UpdateRequest.Flags(null, null, null, null, null, null, null, null, null, null,
                null, null, true, null, null, null, null, null);

        assertThat(build(f)).isEqualTo(read("{\"removeHealthCheck\":true}"));
    }

    @Test
    void a_file_is_the_deployment_as_it_should_be_without_its_name_and_flags_win() {
        ObjectNode file = (ObjectNode) read("""
                {"name":"web","image":"reg/web:1","replicas":2,"env":{"X":"1"}}""");
        UpdateRequest.Flags f = new UpdateRequest.Flags(null, "reg/web:2", null, null, null, null, Map.of("Y", "2"),
                null, null, null, null, null, false, null, null, null, null, null);

        assertThat(UpdateRequest.build(current, file, f, json)).isEqualTo(read("""
                {"image":"reg/web:2","replicas":2,"env":{"X":"1","Y":"2"}}"""));
    }

    @Test
    void no_flags_and_no_file_is_an_empty_body() {
        assertThat(build(flags())).isEmpty();
    }
}
