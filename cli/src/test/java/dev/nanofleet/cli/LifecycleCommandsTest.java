package dev.nanofleet.cli;

import static dev.nanofleet.cli.FakeApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** update, rollback, stop, start, restart and revisions against a small server that answers like the API. */
class LifecycleCommandsTest {

    private static final String ID = "3f0c2a8e-5b1d-4c6e-9f7a-0123456789ab";
    private static final String PATH = "/v1/deployments/" + ID;

    @TempDir
    Path config;

    private FakeApi api;
    private CliRun cli;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws IOException {
        api = new FakeApi();
        cli = new CliRun(api.url(), config);
        cli.env.put("NANOFLEET_TOKEN", "nfk_test");
        api.on("GET", "/v1/deployments?limit=500&name=web", r -> json(200, "[" + deployment(1, "complete", 3, 3,
                null, null, running(0, 1) + "," + running(1, 1) + "," + running(2, 1)) + "]"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String deployment(int revision, String state, int updated, int ready, String reason,
            String stoppedAt, String instances) {
        return "{\"id\":\"" + ID + "\",\"name\":\"web\",\"image\":\"reg/web:" + revision + "\",\"replicas\":3,"
                + "\"resources\":{\"cpuMillis\":250,\"memoryMiB\":64},\"isolation\":\"shared\",\"env\":{\"A\":\"1\"},"
                + "\"secretNames\":[],\"revision\":" + revision + ",\"rolloutPolicy\":{\"progressDeadlineSeconds\":20},"
                + (stoppedAt == null ? "" : "\"stoppedAt\":\"" + stoppedAt + "\",")
                + "\"rollout\":{\"revision\":" + revision + ",\"state\":\"" + state + "\",\"desired\":3,\"updated\":"
                + updated + ",\"ready\":" + ready + ",\"reason\":" + (reason == null ? "null" : "\"" + reason + "\"")
                + ",\"startedAt\":\"2026-01-01T00:00:00Z\"},\"createdAt\":\"2026-01-01T00:00:00Z\",\"instances\":["
                + instances + "]}";
    }

    private static String instance(int ordinal, int revision, String state, String desired) {
        return "{\"id\":\"00000000-0000-4000-8000-00000000000" + ordinal + "\",\"ordinal\":" + ordinal
                + ",\"revision\":" + revision + ",\"node\":\"local-1\",\"isolation\":\"shared\",\"state\":\"" + state
                + "\",\"desiredState\":\"" + desired + "\",\"health\":null,\"reason\":null,\"exitCode\":null,"
                + "\"restarts\":0,\"network\":null,\"usage\":null,\"updatedAt\":\"2026-01-01T00:00:01Z\"}";
    }

    private static String running(int ordinal, int revision) {
        return instance(ordinal, revision, "running", "running");
    }

    private static String revisions(String... newestFirst) {
        return "[" + String.join(",", newestFirst) + "]";
    }

    @Test
    void update_merges_the_env_patches_and_follows_the_rollout_of_the_new_revision() throws Exception {
        api.on("PATCH", PATH, 200, deployment(2, "progressing", 0, 0, null, null, running(0, 1)));
        api.on("GET", PATH + "/revisions", 200, revisions("{\"revision\":2,\"current\":true,\"cause\":\"update\","
                + "\"changed\":[\"image\",\"env\"]}"));
        Iterator<String> snapshots = List.of(
                deployment(2, "progressing", 1, 0, null, null, running(0, 1) + "," + running(1, 1) + "," + running(2,
                        1) + "," + instance(3, 2, "pulling", "running")),
                deployment(2, "progressing", 3, 2, null, null, running(0, 1) + "," + running(3, 2) + "," + running(4,
                        2) + "," + instance(5, 2, "starting", "running")),
                deployment(2, "complete", 3, 3, null, null, instance(0, 1, "stopped", "stopped") + "," + running(3, 2)
                        + "," + running(4, 2) + "," + running(5, 2)))
                .iterator();
        api.on("GET", PATH, r -> json(200, snapshots.next()));

        int code = cli.run("update", "web", "--image", "reg/web:2", "--env", "B=2", "--min-ready", "1s", "--wait");

        assertThat(code).as(cli.err()).isZero();
        FakeApi.Request patch = api.requests.stream().filter(r -> r.method().equals("PATCH")).findFirst().orElseThrow();
        assertThat(json.readTree(patch.body())).isEqualTo(json.readTree("""
                {"image":"reg/web:2","env":{"A":"1","B":"2"},"rolloutPolicy":{"minReadySeconds":1}}"""));
        assertThat(cli.out()).startsWith("Deployment web: revision 2 rolling out (image, env).\n")
                .contains("#3       00000000-0000-4000-8000-000000000003  running")
                .doesNotContain("#0 ");
        assertThat(cli.err()).isEqualTo(
                """
                        waiting up to 5m for revision 2 of web to roll out
                        [0s] revision 2: 1/3 updated, 0/3 ready: #3 pulling; 3 of older revisions running
                        [1s] revision 2: 3/3 updated, 2/3 ready: #3 running, #4 running, #5 starting; 1 of older revisions running
                        [2s] revision 2 rolled out: 3/3 running: #3 running, #4 running, #5 running
                        """);
    }

    @Test
    void update_wait_exits_4_when_the_revision_is_rolled_back_by_itself() {
        api.on("PATCH", PATH, 200, deployment(2, "progressing", 0, 0, null, null, running(0, 1)));
        api.on("GET", PATH + "/revisions", 200, revisions(
                "{\"revision\":3,\"current\":true,\"cause\":\"auto-rollback\",\"rollbackOf\":1,\"changed\":[\"image\"]}",
                "{\"revision\":2,\"current\":false,\"cause\":\"update\",\"changed\":[\"image\"]}"));
        api.on("GET", PATH, 200, deployment(3, "progressing", 0, 0, null, null, running(0, 1) + "," + instance(3, 2,
                "failed", "stopped").replace("\"reason\":null", "\"reason\":\"image pull failed: manifest unknown\"")));

        int code = cli.run("update", "web", "--image", "reg/web:nope", "--progress-deadline", "20s", "--wait");

        assertThat(code).isEqualTo(ExitCodes.WAIT_FAILED);
        assertThat(cli.err()).contains("error: deployment web failed after 0s: revision 2 was rolled back to 1: "
                + "replica #3 failed: image pull failed: manifest unknown");
    }

    @Test
    void update_sends_a_health_check_and_the_rollout_policy_from_their_flags() throws Exception {
        api.on("PATCH", PATH, 200, deployment(2, "progressing", 0, 0, null, null, ""));
        api.on("GET", PATH + "/revisions", 200, revisions("{\"revision\":2,\"current\":true,\"cause\":\"update\","
                + "\"changed\":[\"healthCheck\"]}"));

        int code = cli.run("update", "web", "--health-http", "8080/healthz", "--health-interval", "2s", "--max-surge",
                "1", "--max-unavailable", "0", "--progress-deadline", "2m", "--no-auto-rollback");

        assertThat(code).as(cli.err()).isZero();
        FakeApi.Request patch = api.requests.stream().filter(r -> r.method().equals("PATCH")).findFirst().orElseThrow();
        assertThat(json.readTree(patch.body())).isEqualTo(json.readTree("""
                {"healthCheck":{"type":"http","port":8080,"path":"/healthz","intervalSeconds":2},
                 "rolloutPolicy":{"maxSurge":"1","maxUnavailable":"0","progressDeadlineSeconds":120,
                                  "autoRollback":false}}"""));
        assertThat(cli.out()).isEqualTo("Deployment web: revision 2 rolling out (healthCheck).\n");
    }

    @Test
    void update_with_two_kinds_of_health_check_is_a_usage_error() {
        assertThat(cli.run("update", "web", "--health-tcp", "8080", "--health-http", "8080")).isEqualTo(
                ExitCodes.USAGE);

        assertThat(cli.err()).contains("give one of --health-http, --health-tcp and --health-exec");
    }

    @Test
    void update_of_the_replicas_alone_says_it_scaled() throws Exception {
        api.on("PATCH", PATH, 200, deployment(1, "complete", 5, 3, null, null, running(0, 1)).replace(
                "\"replicas\":3", "\"replicas\":5"));

        assertThat(cli.run("update", "web", "--replicas", "5")).as(cli.err()).isZero();

        assertThat(cli.out()).isEqualTo("Deployment web: scaled to 5 replicas (revision 1).\n");
    }

    @Test
    void update_without_anything_to_change_is_a_usage_error_and_sends_nothing() {
        assertThat(cli.run("update", "web")).isEqualTo(ExitCodes.USAGE);

        assertThat(api.requests).noneMatch(r -> r.method().equals("PATCH"));
    }

    @Test
    void rollback_posts_the_revision_and_names_the_one_it_returns_to() throws Exception {
        api.on("POST", PATH + "/rollback", 200, deployment(3, "progressing", 0, 0, null, null, running(0, 1)));
        api.on("GET", PATH + "/revisions", 200, revisions(
                "{\"revision\":3,\"current\":true,\"cause\":\"rollback\",\"rollbackOf\":1,\"changed\":[\"image\"]}"));

        assertThat(cli.run("rollback", "web", "1")).as(cli.err()).isZero();

        FakeApi.Request post = api.requests.stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
        assertThat(json.readTree(post.body())).isEqualTo(json.readTree("{\"revision\":1}"));
        assertThat(cli.out()).isEqualTo("Deployment web: revision 3 rolling out (rollback to revision 1).\n");
    }

    @Test
    void rollback_without_a_revision_lets_the_api_take_the_previous_one() throws Exception {
        api.on("POST", PATH + "/rollback", 200, deployment(3, "progressing", 0, 0, null, null, ""));
        api.on("GET", PATH + "/revisions", 200, revisions(
                "{\"revision\":3,\"current\":true,\"cause\":\"rollback\",\"rollbackOf\":2,\"changed\":[]}"));

        assertThat(cli.run("rollback", "web", "--json")).as(cli.err()).isZero();

        FakeApi.Request post = api.requests.stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
        assertThat(json.readTree(post.body())).isEqualTo(json.readTree("{}"));
        assertThat(json.readTree(cli.out()).path("revision").asInt()).isEqualTo(3);
    }

    @Test
    void stop_wait_follows_until_no_replica_runs() {
        String at = "2026-01-01T00:00:05Z";
        api.on("POST", PATH + "/stop", 200, deployment(1, "complete", 0, 3, null, at, instance(0, 1, "running",
                "stopped")));
        Iterator<String> snapshots = List.of(
                deployment(1, "complete", 0, 3, null, at, instance(0, 1, "stopping", "stopped") + "," + instance(1, 1,
                        "stopped", "stopped")),
                deployment(1, "complete", 0, 3, null, at, instance(0, 1, "stopped", "stopped") + "," + instance(1, 1,
                        "stopped", "stopped")))
                .iterator();
        api.on("GET", PATH, r -> json(200, snapshots.next()));

        assertThat(cli.run("stop", "web", "--wait")).as(cli.err()).isZero();

        assertThat(cli.out()).isEqualTo("""
                Deployment web: stopping (revision 1 stays; `nanofleet start web` brings it back).
                Deployment web: stopped.
                """);
        assertThat(cli.err()).isEqualTo("""
                waiting up to 5m for every replica of web to stop
                [0s] 1 replica still to stop: #0 stopping
                [1s] every replica stopped
                """);
    }

    @Test
    void start_wait_follows_the_same_revision_back() {
        api.on("POST", PATH + "/start", 200, deployment(2, "progressing", 0, 0, null, null, ""));
        api.on("GET", PATH, 200, deployment(2, "complete", 3, 3, null, null, running(6, 2) + "," + running(7, 2) + ","
                + running(8, 2)));

        assertThat(cli.run("start", "web", "--wait")).as(cli.err()).isZero();

        assertThat(cli.out()).startsWith("Deployment web: starting revision 2 (3 replicas).\n");
        assertThat(cli.err()).contains("revision 2 rolled out: 3/3 running: #6 running, #7 running, #8 running");
    }

    @Test
    void start_wait_exits_4_when_the_deployment_is_stopped_meanwhile() {
        api.on("POST", PATH + "/start", 200, deployment(2, "progressing", 0, 0, null, null, ""));
        api.on("GET", PATH, 200, deployment(2, "cancelled", 0, 0, "deployment stopped", "2026-01-01T00:00:09Z", ""));

        assertThat(cli.run("start", "web", "--wait")).isEqualTo(ExitCodes.WAIT_FAILED);

        assertThat(cli.err()).contains("the deployment was stopped");
    }

    @Test
    void restart_makes_a_revision_and_says_so() {
        api.on("POST", PATH + "/restart", 200, deployment(4, "progressing", 0, 0, null, null, ""));

        assertThat(cli.run("restart", "web")).as(cli.err()).isZero();

        assertThat(cli.out()).isEqualTo("Deployment web: revision 4 replaces every replica one by one.\n");
    }

    @Test
    void revisions_prints_the_history_with_the_current_one_marked_and_what_changed() {
        api.on("GET", PATH + "/revisions", 200, revisions("""
                {"revision":3,"current":true,"cause":"rollback","rollbackOf":1,"actor":"user:bob",
                 "createdAt":"2026-01-01T00:02:00Z","changed":["image"],
                 "diff":[{"field":"image","from":"reg/web:2","to":"reg/web:1"}]}""",
                """
                        {"revision":2,"current":false,"cause":"update","actor":"user:bob","createdAt":"2026-01-01T00:01:00Z",
                         "changed":["image","env","secrets.TOKEN"],"diff":[{"field":"image","from":"reg/web:1","to":"reg/web:2"},
                         {"field":"env","from":{"A":"1"},"to":{"A":"2"}},{"field":"secrets.TOKEN"}]}""",
                """
                        {"revision":1,"current":false,"cause":"create","actor":"user:bob","createdAt":"2026-01-01T00:00:00Z",
                         "changed":[],"diff":[]}"""));

        assertThat(cli.run("revisions", "web")).as(cli.err()).isZero();

        assertThat(cli.out()).isEqualTo(
                """
                        REVISION  CURRENT  CAUSE          ACTOR     CREATED               CHANGES
                        3         *        rollback to 1  user:bob  2026-01-01T00:02:00Z  image reg/web:2 -> reg/web:1
                        2         -        update         user:bob  2026-01-01T00:01:00Z  image reg/web:1 -> reg/web:2; env; secrets.TOKEN
                        1         -        create         user:bob  2026-01-01T00:00:00Z  created
                        """);
    }
}
