package dev.nanofleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class WaitDecisionTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode deployment(int replicas, String instances) throws Exception {
        return json.readTree("{\"id\":\"d1\",\"name\":\"hello\",\"replicas\":" + replicas + ",\"instances\":["
                + instances + "]}");
    }

    private static String instance(int ordinal, String state, String desired, String updatedAt) {
        return "{\"id\":\"i" + ordinal + updatedAt + "\",\"ordinal\":" + ordinal + ",\"state\":\"" + state
                + "\",\"desiredState\":\"" + desired + "\",\"reason\":null,\"exitCode\":null,\"updatedAt\":\""
                + updatedAt + "\"}";
    }

    @Test
    void it_is_done_when_every_replica_runs() throws Exception {
        WaitDecision d = WaitDecision.of(deployment(2, instance(0, "running", "running", "t1") + "," + instance(1,
                "running", "running", "t1")));

        assertThat(d).isEqualTo(new WaitDecision.Done("2/2 running: #0 running, #1 running"));
    }

    @Test
    void it_goes_on_while_replicas_are_on_their_way_and_says_where_each_is() throws Exception {
        WaitDecision d = WaitDecision.of(deployment(3, instance(0, "running", "running", "t1") + "," + instance(1,
                "pulling", "running", "t1")));

        assertThat(d).isEqualTo(new WaitDecision.Continue("1/3 running: #0 running, #1 pulling, #2 pending"));
    }

    @Test
    void a_restarting_replica_is_still_on_its_way() throws Exception {
        assertThat(WaitDecision.of(deployment(1, instance(0, "restarting", "running", "t1")))).isInstanceOf(
                WaitDecision.Continue.class);
    }

    @Test
    void an_unschedulable_replica_fails_the_wait_with_the_schedulers_reason() throws Exception {
        JsonNode d = deployment(1, "{\"ordinal\":0,\"state\":\"unschedulable\",\"desiredState\":\"running\","
                + "\"reason\":\"0/1 nodes available: 1 insufficient memory\",\"exitCode\":null}");

        assertThat(WaitDecision.of(d)).isEqualTo(new WaitDecision.Failed(
                "replica #0 is unschedulable: 0/1 nodes available: 1 insufficient memory"));
    }

    @Test
    void an_exited_replica_fails_the_wait_with_its_exit_code() throws Exception {
        JsonNode d = deployment(1, "{\"ordinal\":0,\"state\":\"exited\",\"desiredState\":\"ended\","
                + "\"reason\":null,\"exitCode\":3}");

        assertThat(WaitDecision.of(d)).isEqualTo(new WaitDecision.Failed("replica #0 is exited (exit code 3)"));
    }

    @Test
    void a_failed_pull_fails_the_wait_with_the_reason() throws Exception {
        JsonNode d = deployment(2, instance(0, "running", "running", "t1") + ",{\"ordinal\":1,\"state\":\"failed\","
                + "\"desiredState\":\"running\",\"reason\":\"image pull failed: not authorized\",\"exitCode\":null}");

        assertThat(WaitDecision.of(d)).isEqualTo(new WaitDecision.Failed(
                "replica #1 is failed: image pull failed: not authorized"));
    }

    @Test
    void an_ended_replica_that_was_replaced_does_not_count_against_its_replacement() throws Exception {
        WaitDecision d = WaitDecision.of(deployment(1, instance(0, "failed", "ended", "t1") + "," + instance(0,
                "running", "running", "t2")));

        assertThat(d).isInstanceOf(WaitDecision.Done.class);
    }

    @Test
    void replicas_being_stopped_by_a_scale_down_are_not_waited_for() throws Exception {
        WaitDecision d = WaitDecision.of(deployment(1, instance(0, "running", "running", "t1") + "," + instance(1,
                "stopping", "stopped", "t1")));

        assertThat(d).isEqualTo(new WaitDecision.Done("1/1 running: #0 running"));
    }

    @Test
    void upper_case_states_of_an_older_control_api_are_read_alike() throws Exception {
        assertThat(WaitDecision.of(deployment(2, instance(0, "RUNNING", "RUNNING", "t1") + "," + instance(1,
                "PULLING", "RUNNING", "t1"))))
                .isEqualTo(new WaitDecision.Continue("1/2 running: #0 running, #1 pulling"));
        assertThat(WaitDecision.of(deployment(1, instance(0, "RUNNING", "RUNNING", "t1") + "," + instance(1,
                "STOPPING", "STOPPED", "t1")))).isEqualTo(new WaitDecision.Done("1/1 running: #0 running"));
        assertThat(WaitDecision.of(deployment(1, instance(0, "EXITED", "ENDED", "t1")))).isEqualTo(
                new WaitDecision.Failed("replica #0 is exited"));
    }

    @Test
    void a_deleted_deployment_fails_the_wait() throws Exception {
        JsonNode d = json.readTree("{\"replicas\":1,\"deletedAt\":\"2026-01-01T00:00:00Z\",\"instances\":[]}");

        assertThat(WaitDecision.of(d)).isEqualTo(new WaitDecision.Failed("the deployment was deleted"));
    }
}
