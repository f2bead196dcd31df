package dev.nanofleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@link WaitDecision} against a control-api that shows rollouts: it follows the rollout of one revision. */
class RolloutWaitDecisionTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode deployment(int revision, String state, int updated, int ready, String reason, String instances)
            throws Exception {
        return json.readTree("{\"id\":\"d1\",\"name\":\"web\",\"replicas\":3,\"revision\":" + revision
                + ",\"rolloutPolicy\":{\"progressDeadlineSeconds\":20},\"rollout\":{\"revision\":" + revision
                + ",\"state\":\"" + state + "\",\"desired\":3,\"updated\":" + updated + ",\"ready\":" + ready
                + ",\"reason\":" + (reason == null ? "null" : "\"" + reason + "\"")
                + ",\"startedAt\":\"2026-01-01T00:00:00Z\"},\"instances\":[" + instances + "]}");
    }

    private static String instance(int ordinal, int revision, String state, String desired) {
        return instance(ordinal, revision, state, desired, null, null);
    }

    private static String instance(int ordinal, int revision, String state, String desired, String health,
            String reason) {
        return "{\"id\":\"i" + ordinal + "\",\"ordinal\":" + ordinal + ",\"revision\":" + revision + ",\"state\":\""
                + state + "\",\"desiredState\":\"" + desired + "\",\"health\":"
                + (health == null ? "null" : "\"" + health + "\"") + ",\"reason\":"
                + (reason == null ? "null" : "\"" + reason + "\"") + ",\"exitCode\":null}";
    }

    private static String join(String... parts) {
        return String.join(",", parts);
    }

    @Test
    void a_rollout_in_progress_says_how_many_are_updated_and_ready_and_where_the_new_replicas_are() throws Exception {
        JsonNode d = deployment(2, "progressing", 1, 0, null, join(instance(0, 1, "running", "running"),
                instance(1, 1, "running", "running"), instance(2, 1, "running", "running"),
                instance(3, 2, "pulling", "running")));

        assertThat(WaitDecision.of(d, new WaitDecision.Running(2))).isEqualTo(new WaitDecision.Continue(
                "revision 2: 1/3 updated, 0/3 ready: #3 pulling; 3 of older revisions running"));
    }

    @Test
    void new_ordinals_of_a_rollout_count_and_the_old_ones_ended_do_not() throws Exception {
        JsonNode d = deployment(2, "complete", 3, 3, null, join(instance(0, 1, "stopped", "stopped"),
                instance(1, 1, "stopped", "stopped"), instance(2, 1, "stopped", "stopped"),
                instance(3, 2, "running", "running", "healthy", null), instance(4, 2, "running", "running"),
                instance(5, 2, "running", "running")));

        assertThat(WaitDecision.of(d, new WaitDecision.Running(2))).isEqualTo(new WaitDecision.Done(
                "revision 2 rolled out: 3/3 running: #3 running, #4 running, #5 running"));
    }

    @Test
    void a_replica_whose_check_has_not_passed_yet_shows_its_health() throws Exception {
        JsonNode d = deployment(2, "progressing", 1, 0, null, instance(3, 2, "running", "running", "starting",
                null));

        assertThat(WaitDecision.of(d, new WaitDecision.Running(2))).isEqualTo(new WaitDecision.Continue(
                "revision 2: 1/3 updated, 0/3 ready: #3 running (starting)"));
    }

    @Test
    void a_complete_rollout_after_a_scale_up_waits_for_the_added_replicas() throws Exception {
        JsonNode d = deployment(1, "complete", 3, 2, null, join(instance(0, 1, "running", "running"),
                instance(1, 1, "running", "running"), instance(2, 1, "pending", "running")));

        assertThat(WaitDecision.of(d, new WaitDecision.Running(1))).isEqualTo(new WaitDecision.Continue(
                "revision 1: 3/3 updated, 2/3 ready: #0 running, #1 running, #2 pending"));
    }

    @Test
    void a_failed_rollout_fails_the_wait_with_its_reason() throws Exception {
        JsonNode d = deployment(2, "failed", 1, 0, "no progress for 20 s (progressDeadlineSeconds)", instance(3, 2,
                "pulling", "running"));

        assertThat(WaitDecision.of(d, new WaitDecision.Running(2))).isEqualTo(new WaitDecision.Failed(
                "the rollout of revision 2 failed: no progress for 20 s (progressDeadlineSeconds)"));
    }

    @Test
    void a_cancelled_rollout_fails_the_wait() throws Exception {
        JsonNode d = deployment(2, "cancelled", 1, 0, "deployment stopped", "");

        assertThat(WaitDecision.of(d, new WaitDecision.Running(2))).isEqualTo(new WaitDecision.Failed(
                "the rollout of revision 2 was cancelled: deployment stopped"));
    }

    @Test
    void an_unschedulable_replica_of_the_revision_fails_the_wait_at_once() throws Exception {
        JsonNode d = deployment(1, "progressing", 1, 0, null, instance(0, 1, "unschedulable", "running", null,
                "0/1 nodes available: 1 insufficient memory"));

        assertThat(WaitDecision.of(d, new WaitDecision.Running(1))).isEqualTo(new WaitDecision.Failed(
                "replica #0 is unschedulable: 0/1 nodes available: 1 insufficient memory"));
    }

    @Test
    void a_newer_revision_than_the_one_waited_for_is_handed_back_to_be_worded() throws Exception {
        JsonNode d = deployment(3, "progressing", 1, 0, null, "");

        assertThat(WaitDecision.of(d, new WaitDecision.Running(2))).isEqualTo(new WaitDecision.Superseded(3));
    }

    @Test
    void an_automatic_rollback_is_worded_with_the_revision_it_returned_to_and_the_failed_replica() throws Exception {
        JsonNode d = deployment(3, "progressing", 3, 3, null, join(instance(0, 3, "running", "running"),
                instance(3, 2, "failed", "stopped", null, "image pull failed: manifest unknown")));
        JsonNode revisions = json.readTree("""
                [{"revision":3,"cause":"auto-rollback","rollbackOf":1},
                 {"revision":2,"cause":"update","actor":"user:bob"},{"revision":1,"cause":"create"}]""");

        assertThat(WaitDecision.superseded(d, 2, revisions)).isEqualTo(new WaitDecision.Failed(
                "revision 2 was rolled back to 1: replica #3 failed: image pull failed: manifest unknown"));
    }

    @Test
    void an_automatic_rollback_after_the_deadline_says_so() throws Exception {
        JsonNode d = deployment(3, "progressing", 0, 0, null, instance(3, 2, "stopped", "stopped"));
        JsonNode revisions = json.readTree("[{\"revision\":3,\"cause\":\"auto-rollback\",\"rollbackOf\":1}]");

        assertThat(WaitDecision.superseded(d, 2, revisions)).isEqualTo(new WaitDecision.Failed(
                "revision 2 was rolled back to 1: it made no progress for 20 s (progressDeadlineSeconds)"));
    }

    @Test
    void someone_elses_change_during_the_wait_is_worded_with_who_made_it() throws Exception {
        JsonNode revisions = json.readTree("[{\"revision\":4,\"cause\":\"update\",\"actor\":\"token:ci\"},"
                + "{\"revision\":3,\"cause\":\"update\",\"actor\":\"user:alice\"}]");

        assertThat(WaitDecision.superseded(deployment(4, "progressing", 0, 0, null, ""), 2, revisions)).isEqualTo(
                new WaitDecision.Failed("revision 2 was replaced by revision 3 (update by user:alice) while waiting "
                        + "for it"));
    }

    @Test
    void a_stopped_deployment_fails_a_wait_for_it_to_run() throws Exception {
        JsonNode d = ((com.fasterxml.jackson.databind.node.ObjectNode) deployment(2, "cancelled", 0, 0,
                "deployment stopped", "")).put("stoppedAt", "2026-01-01T00:00:00Z");

        assertThat(WaitDecision.of(d, new WaitDecision.Running(2))).isEqualTo(new WaitDecision.Failed(
                "the deployment was stopped"));
    }

    @Test
    void a_stop_is_done_when_no_replica_runs_any_more() throws Exception {
        String stopped = "\"stoppedAt\":\"2026-01-01T00:00:00Z\",";
        JsonNode stopping = json.readTree("{\"replicas\":2," + stopped + "\"instances\":[" + join(instance(0, 1,
                "stopping", "stopped"), instance(1, 1, "stopped", "stopped"), instance(2, 1, "failed", "ended"))
                + "]}");
        JsonNode done = json.readTree("{\"replicas\":2," + stopped + "\"instances\":[" + join(instance(0, 1,
                "stopped", "stopped"), instance(1, 1, "stopped", "stopped")) + "]}");

        assertThat(WaitDecision.of(stopping, new WaitDecision.Stopped())).isEqualTo(new WaitDecision.Continue(
                "1 replica still to stop: #0 stopping"));
        assertThat(WaitDecision.of(done, new WaitDecision.Stopped())).isEqualTo(new WaitDecision.Done(
                "every replica stopped"));
    }

    @Test
    void a_stop_wait_fails_when_the_deployment_is_started_again() throws Exception {
        JsonNode d = json.readTree("{\"replicas\":1,\"instances\":[" + instance(0, 1, "running", "running") + "]}");

        assertThat(WaitDecision.of(d, new WaitDecision.Stopped())).isEqualTo(new WaitDecision.Failed(
                "the deployment was started again"));
    }
}
