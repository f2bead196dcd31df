package dev.nanofleet.cli;

import static dev.nanofleet.cli.FakeApi.json;
import static dev.nanofleet.cli.FakeApi.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end against a small HTTP server that answers like the API and like Keycloak. */
class CommandsTest {

    private static final String ID = "3f0c2a8e-5b1d-4c6e-9f7a-0123456789ab";
    private static final String INSTANCE = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

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
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String deployment(String state) {
        return "{\"id\":\"" + ID + "\",\"name\":\"hello\",\"image\":\"reg/hello:1\",\"replicas\":1,"
                + "\"resources\":{\"cpuMillis\":250,\"memoryMiB\":64},\"isolation\":\"shared\","
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"instances\":[{\"id\":\"" + INSTANCE + "\",\"ordinal\":0,"
                + "\"node\":\"local-1\",\"isolation\":\"shared\",\"state\":\"" + state
                + "\",\"desiredState\":\"running\","
                + "\"reason\":null,\"exitCode\":null,\"restarts\":0,\"network\":{\"address\":\"10.213.0.2\","
                + "\"ports\":[{\"containerPort\":8080,\"hostPort\":31001}]},\"usage\":null,"
                + "\"updatedAt\":\"2026-01-01T00:00:01Z\"}]}";
    }

    @Test
    void ls_sends_the_token_from_the_environment_and_prints_a_table() {
        api.on("GET", "/v1/deployments", 200, "[" + deployment("running") + "]");

        assertThat(cli.run("ls")).isEqualTo(0);

        assertThat(api.requests).singleElement().satisfies(r -> assertThat(r.authorization()).isEqualTo(
                "Bearer nfk_test"));
        assertThat(cli.out()).isEqualTo(
                """
                        NAME   ID                                    RUNNING  ISOLATION  IMAGE        EDGE TCP  CREATED
                        hello  3f0c2a8e-5b1d-4c6e-9f7a-0123456789ab  1/1      shared     reg/hello:1  -         2026-01-01T00:00:00Z
                        """);
    }

    /** The deployment with an http port and a tcp port that holds edge port 20000. */
    private static String withTcpPort(String state) {
        return deployment(state).replace("\"isolation\":\"shared\",\"createdAt\"", "\"isolation\":\"shared\","
                + "\"ports\":[{\"containerPort\":8080,\"protocol\":\"http\",\"edgePort\":null},"
                + "{\"containerPort\":5432,\"protocol\":\"tcp\",\"edgePort\":20000}],\"createdAt\"");
    }

    @Test
    void ls_and_status_show_where_a_tcp_port_is_reached_on_the_edge() {
        api.on("GET", "/v1/deployments", 200, "[" + withTcpPort("running") + "]");
        api.on("GET", "/v1/deployments?limit=500&name=hello", 200, "[" + withTcpPort("running") + "]");
        api.on("GET", "/v1/deployments/" + ID, 200, withTcpPort("running"));

        assertThat(cli.run("ls")).isEqualTo(0);
        assertThat(cli.out()).contains("EDGE TCP").contains("reg/hello:1  20000->5432  2026-01-01T00:00:00Z");

        assertThat(cli.run("status", "hello")).isEqualTo(0);
        assertThat(cli.out()).contains("ports:     8080/http, 5432/tcp edge port 20000\n");
    }

    @Test
    void deploy_sends_port_protocols_and_a_plain_port_stays_http() throws Exception {
        api.on("POST", "/v1/deployments", 201, withTcpPort("pending"));

        int code = cli.run("deploy", "--name", "db", "--image", "reg/db:1", "--port", "8080", "--port", "9090/HTTP",
                "--port", "5432/tcp");

        assertThat(code).as(cli.err()).isEqualTo(0);
        assertThat(json.readTree(api.requests.get(0).body())).isEqualTo(json.readTree("""
                {"name":"db","image":"reg/db:1","ports":[{"containerPort":8080},
                 {"containerPort":9090,"protocol":"http"},{"containerPort":5432,"protocol":"tcp"}]}"""));
    }

    @Test
    void a_port_with_an_unknown_protocol_is_a_usage_error_and_sends_nothing() {
        assertThat(cli.run("deploy", "--name", "dns", "--image", "reg/dns:1", "--port", "53/udp"))
                .isEqualTo(ExitCodes.USAGE);

        assertThat(cli.err()).contains("53/udp").contains("http or tcp");
        assertThat(api.requests).isEmpty();
        assertThat(cli.run("update", "dns", "--port", "x/tcp")).isEqualTo(ExitCodes.USAGE);
        assertThat(api.requests).isEmpty();
    }

    @Test
    void ls_json_prints_the_apis_json() throws Exception {
        api.on("GET", "/v1/deployments", 200, "[" + deployment("running") + "]");

        assertThat(cli.run("ls", "--json")).isEqualTo(0);

        assertThat(json.readTree(cli.out())).isEqualTo(json.readTree("[" + deployment("running") + "]"));
    }

    @Test
    void a_revoked_token_exits_3_with_the_servers_detail() {
        api.on("GET", "/v1/deployments", r -> problem(401, "Unauthorized", "the API token was revoked"));

        assertThat(cli.run("ls")).isEqualTo(ExitCodes.NOT_LOGGED_IN);

        assertThat(cli.err()).startsWith("error: Unauthorized: the API token was revoked\n");
    }

    @Test
    void a_refused_request_exits_1_and_names_the_bad_fields() {
        api.on("POST", "/v1/deployments", 400, "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"invalid\","
                + "\"errors\":[{\"field\":\"resources.memoryMiB\",\"message\":\"must be at least 32\"}]}");

        int code = cli.run("deploy", "--name", "x", "--image", "reg/x:1", "--cpu", "100", "--memory", "1");

        assertThat(code).isEqualTo(ExitCodes.API_ERROR);
        assertThat(cli.err()).isEqualTo("error: Bad Request: invalid\n  resources.memoryMiB: must be at least 32\n");
    }

    @Test
    void an_api_that_does_not_answer_exits_5() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }

        assertThat(cli.run("ls", "--api-url", "http://127.0.0.1:" + closedPort)).isEqualTo(ExitCodes.UNREACHABLE);

        assertThat(cli.err()).contains("cannot reach the API at http://127.0.0.1:" + closedPort);
    }

    @Test
    void without_a_token_or_a_login_it_exits_3_and_says_how_to_log_in() {
        cli.env.remove("NANOFLEET_TOKEN");

        assertThat(cli.run("ls")).isEqualTo(ExitCodes.NOT_LOGGED_IN);

        assertThat(cli.err()).contains("not logged in").contains("nanofleet login");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void an_unknown_option_is_a_usage_error() {
        assertThat(cli.run("ls", "--bogus")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void deploy_from_a_file_with_wait_posts_the_file_and_reports_progress_until_every_replica_runs()
            throws Exception {
        Path file = config.resolve("nanofleet.yaml");
        Files.writeString(file, """
                name: hello
                image: reg/hello:1
                replicas: 1
                resources: {cpuMillis: 250, memoryMiB: 64}
                isolation: shared
                """);
        api.on("POST", "/v1/deployments", 201, deployment("pending"));
        Iterator<String> states = List.of("pending", "pulling", "pulling", "starting", "running").iterator();
        api.on("GET", "/v1/deployments/" + ID, r -> json(200, deployment(states.next())));

        int code = cli.run("deploy", "-f", file.toString(), "--replicas", "1", "--wait");

        assertThat(code).as(cli.err()).isEqualTo(0);
        assertThat(json.readTree(api.requests.get(0).body())).isEqualTo(json.readTree("""
                {"name":"hello","image":"reg/hello:1","replicas":1,"resources":{"cpuMillis":250,"memoryMiB":64},
                 "isolation":"shared"}"""));
        assertThat(cli.err()).isEqualTo("""
                waiting up to 5m for every replica of hello to be running
                [0s] 0/1 running: #0 pending
                [1s] 0/1 running: #0 pulling
                [3s] 0/1 running: #0 starting
                [4s] 1/1 running: #0 running
                """);
        assertThat(cli.out()).startsWith("Created deployment hello (" + ID + "), isolation shared.\n")
                .contains("#0       " + INSTANCE + "  running  local-1");
    }

    @Test
    void deploy_takes_a_command_with_dash_arguments_from_flags() throws Exception {
        api.on("POST", "/v1/deployments", 201, deployment("pending"));

        int code = cli.run("deploy", "--name", "tick", "--image", "reg/busybox:1", "--env", "A=1", "--command",
                "/bin/sh", "-c", "echo hi; sleep 1");

        assertThat(code).as(cli.err()).isEqualTo(0);
        assertThat(json.readTree(api.requests.get(0).body())).isEqualTo(json.readTree(
                """
                        {"name":"tick","image":"reg/busybox:1","env":{"A":"1"},"command":["/bin/sh","-c","echo hi; sleep 1"]}"""));
    }

    @Test
    void deploy_wait_exits_4_with_the_reason_when_a_replica_fails() {
        api.on("POST", "/v1/deployments", 201, deployment("pending"));
        api.on("GET", "/v1/deployments/" + ID, r -> json(200, deployment("pending").replace("\"reason\":null",
                "\"reason\":\"image pull failed: not authorized\"").replace("pending", "failed")));

        int code = cli.run("deploy", "--name", "hello", "--image", "reg/hello:1", "--wait");

        assertThat(code).isEqualTo(ExitCodes.WAIT_FAILED);
        assertThat(cli.err()).contains(
                "error: deployment hello failed after 0s: replica #0 is failed: image pull failed: not authorized");
    }

    @Test
    void deploy_wait_exits_4_when_the_time_out_passes() {
        api.on("POST", "/v1/deployments", 201, deployment("pending"));
        api.on("GET", "/v1/deployments/" + ID, 200, deployment("pulling"));

        int code = cli.run("deploy", "--name", "hello", "--image", "reg/hello:1", "--wait", "--timeout", "30s");

        assertThat(code).isEqualTo(ExitCodes.WAIT_FAILED);
        assertThat(cli.err()).contains("error: timed out after 30s waiting for hello: 0/1 running: #0 pulling")
                // quiet polls still show a sign of life every 10 s
                .contains("[10s] 0/1 running: #0 pulling", "[20s] 0/1 running: #0 pulling");
    }

    @Test
    void status_resolves_a_name_through_the_lists_name_filter_and_takes_only_the_exact_name() {
        // the API's name filter is a prefix: "hello-2" comes along and is not taken for "hello"
        api.on("GET", "/v1/deployments?limit=500&name=hello", 200, "[" + deployment("running") + ","
                + deployment("running").replace("\"name\":\"hello\"", "\"name\":\"hello-2\"")
                        .replace(ID.toString(), "00000000-0000-4000-8000-000000000002")
                + "]");
        api.on("GET", "/v1/deployments/" + ID, 200, deployment("running"));

        assertThat(cli.run("status", "hello")).isEqualTo(0);

        assertThat(cli.out()).contains("name:      hello", "id:        " + ID, "31001->8080", "10.213.0.2");
    }

    @Test
    void an_unknown_name_exits_1() {
        api.on("GET", "/v1/deployments?limit=500&name=nope", 200, "[]");

        assertThat(cli.run("status", "nope")).isEqualTo(ExitCodes.API_ERROR);

        assertThat(cli.err()).isEqualTo("error: no deployment named nope\n");
    }

    @Test
    void logs_asks_for_the_replicas_output_with_tail_and_follow_and_prints_it() {
        api.on("GET", "/v1/deployments?limit=500&name=hello", 200, "[" + deployment("running") + "]");
        api.on("GET", "/v1/deployments/" + ID, 200, deployment("running"));
        api.on("GET", "/v1/instances/" + INSTANCE + "/logs?tail=5&follow=true", r -> new FakeApi.Response(200,
                "text/plain", "tick-1\ntick-2\n"));

        assertThat(cli.run("logs", "hello", "--tail", "5", "-f")).isEqualTo(0);

        assertThat(cli.out()).isEqualTo("tick-1\ntick-2\n");
    }

    @Test
    void nodes_logs_asks_for_the_agents_log_or_the_kernels_messages_with_tail_and_follow_and_prints_them() {
        api.on("GET", "/v1/nodes/local-1/logs?source=agent", r -> new FakeApi.Response(200, "text/plain",
                "08:00:01 INFO started\n"));
        api.on("GET", "/v1/nodes/local-1/logs?source=kernel&tail=5&follow=true", r -> new FakeApi.Response(200,
                "text/plain", "[    5.140900] NET: Registered PF_INET6 protocol family\n"));

        assertThat(cli.run("nodes", "logs", "local-1")).isEqualTo(0);
        assertThat(cli.out()).isEqualTo("08:00:01 INFO started\n");

        assertThat(cli.run("nodes", "logs", "local-1", "--kernel", "--tail", "5", "-f")).isEqualTo(0);
        assertThat(cli.out()).isEqualTo("[    5.140900] NET: Registered PF_INET6 protocol family\n");
    }

    @Test
    void nodes_logs_of_a_log_the_node_cannot_read_exits_1_with_the_reason() {
        api.on("GET", "/v1/nodes/local-1/logs?source=kernel", r -> problem(409, "Conflict",
                "node 'local-1': kernel messages not readable on this node: /dev/kmsg does not exist"));

        assertThat(cli.run("nodes", "logs", "local-1", "--kernel")).isEqualTo(ExitCodes.API_ERROR);

        assertThat(cli.err()).startsWith("error: Conflict: node 'local-1': kernel messages not readable on this node");
    }

    @Test
    void scale_patches_the_replica_count() throws Exception {
        api.on("GET", "/v1/deployments?limit=500&name=hello", 200, "[" + deployment("running") + "]");
        api.on("PATCH", "/v1/deployments/" + ID, 200, deployment("running").replace("\"replicas\":1",
                "\"replicas\":3"));

        assertThat(cli.run("scale", "hello", "3")).isEqualTo(0);

        assertThat(json.readTree(api.requests.get(1).body())).isEqualTo(json.readTree("{\"replicas\":3}"));
        assertThat(cli.out()).isEqualTo("Scaled hello to 3 replicas.\n");
    }

    @Test
    void delete_without_yes_and_without_a_terminal_refuses_and_deletes_nothing() {
        api.on("GET", "/v1/deployments?limit=500&name=hello", 200, "[" + deployment("running") + "]");

        assertThat(cli.run("delete", "hello")).isEqualTo(ExitCodes.USAGE);

        assertThat(api.requests).noneMatch(r -> r.method().equals("DELETE"));
        assertThat(cli.err()).contains("without --yes");
    }

    @Test
    void delete_asks_on_a_terminal_and_deletes_on_yes() {
        api.on("GET", "/v1/deployments?limit=500&name=hello", 200, "[" + deployment("running") + "]");
        api.on("DELETE", "/v1/deployments/" + ID, r -> new FakeApi.Response(202, null, null));
        cli.interactive = true;
        cli.stdin = "y\n";

        assertThat(cli.run("delete", "hello")).isEqualTo(0);

        assertThat(cli.err()).contains("Delete deployment hello (" + ID + ")");
        assertThat(api.requests).anyMatch(r -> r.method().equals("DELETE"));
    }

    @Test
    void tokens_create_prints_the_secret_once() throws Exception {
        api.on("POST", "/v1/tokens", 201, "{\"id\":\"t1\",\"name\":\"ci\",\"scopes\":[\"read\",\"deploy\"],"
                + "\"tenant\":\"globex\",\"expiresAt\":\"2026-04-01T00:00:00Z\",\"secret\":\"nfk_abc\"}");

        assertThat(cli.run("tokens", "create", "--name", "ci", "--scope", "read,deploy", "--expires-in-days", "30"))
                .isEqualTo(0);

        assertThat(json.readTree(api.requests.get(0).body())).isEqualTo(json.readTree(
                "{\"name\":\"ci\",\"scopes\":[\"read\",\"deploy\"],\"expiresInDays\":30}"));
        assertThat(cli.out()).contains("scopes:  read,deploy", "secret: nfk_abc");
    }

    @Test
    void domains_add_sends_the_hostname_with_the_files_contents_to_the_named_deployment() throws Exception {
        api.on("GET", "/v1/deployments?limit=500&name=hello", 200, "[" + deployment("running") + "]");
        api.on("POST", "/v1/deployments/" + ID + "/domains", 201, "{\"hostname\":\"www.example.com\","
                + "\"deploymentId\":\"" + ID + "\",\"issuer\":\"CN=Test CA\",\"notAfter\":\"2027-01-01T00:00:00Z\","
                + "\"certificateSha256\":\"" + "ab".repeat(32) + "\"}");
        Path cert = Files.writeString(config.resolve("fullchain.pem"), "-----BEGIN CERTIFICATE-----\nAA\n");
        Path key = Files.writeString(config.resolve("privkey.pem"), "-----BEGIN PRIVATE KEY-----\nBB\n");

        assertThat(cli.run("domains", "add", "hello", "www.example.com", "--cert", cert.toString(), "--key",
                key.toString())).isEqualTo(0);

        FakeApi.Request sent = api.requests.get(1);
        assertThat(json.readTree(sent.body())).isEqualTo(json.readTree("{\"hostname\":\"www.example.com\","
                + "\"certificate\":\"-----BEGIN CERTIFICATE-----\\nAA\\n\",\"privateKey\":\"-----BEGIN PRIVATE KEY-----\\nBB\\n\"}"));
        assertThat(cli.out()).contains("hostname:", "www.example.com", "2027-01-01T00:00:00Z")
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void domains_add_with_an_unreadable_key_file_is_a_usage_error_and_sends_nothing() throws Exception {
        Path cert = Files.writeString(config.resolve("fullchain.pem"), "x");

        assertThat(cli.run("domains", "add", ID, "www.example.com", "--cert", cert.toString(), "--key",
                config.resolve("missing.pem").toString())).isEqualTo(ExitCodes.USAGE);

        assertThat(cli.err()).contains("--key: cannot read");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void domains_ls_lists_and_rm_removes_by_hostname() {
        api.on("GET", "/v1/deployments/" + ID + "/domains", 200, "[{\"hostname\":\"www.example.com\","
                + "\"deploymentId\":\"" + ID + "\",\"issuer\":\"CN=Test CA\",\"notAfter\":\"2027-01-01T00:00:00Z\","
                + "\"certificateSha256\":\"" + "ab".repeat(32) + "\"}]");
        api.on("DELETE", "/v1/deployments/" + ID + "/domains/www.example.com", 204, null);

        assertThat(cli.run("domains", "ls", ID)).isEqualTo(0);
        assertThat(cli.out()).contains("HOSTNAME", "www.example.com", "CN=Test CA", "abababababab")
                .doesNotContain("abababababababab");
        assertThat(cli.run("domains", "rm", ID, "www.example.com")).isEqualTo(0);
        assertThat(cli.out()).contains("Removed www.example.com from " + ID + ".");
    }

    @Test
    void quota_reads_the_tenant_from_me_and_shows_its_usage() {
        api.on("GET", "/v1/me", 200, "{\"subject\":\"bob\",\"kind\":\"user\",\"tenant\":\"globex\"}");
        api.on("GET", "/v1/tenants/globex/usage", 200, "{\"tenant\":\"globex\",\"quotas\":[{\"isolation\":"
                + "\"shared\",\"resource\":\"cpuMillis\",\"limit\":8000,\"used\":500}]}");

        assertThat(cli.run("quota")).isEqualTo(0);

        assertThat(cli.out()).isEqualTo("""
                tenant globex
                ISOLATION  RESOURCE   USED  LIMIT
                shared     cpuMillis  500   8000
                """);
    }

    @Test
    void completion_prints_a_bash_script_that_knows_the_commands() {
        assertThat(cli.run("completion", "bash")).isEqualTo(0);

        assertThat(cli.out()).contains("complete -F", "deploy", "tokens");
    }

    @Test
    void login_with_a_password_caches_the_tokens_readable_by_the_owner_only_and_they_are_refreshed_when_expired()
            throws Exception {
        cli.env.remove("NANOFLEET_TOKEN");
        String realm = "/realms/nanofleet";
        cli.env.put("NANOFLEET_OIDC_ISSUER", api.url() + realm);
        api.on("GET", realm + "/.well-known/openid-configuration", 200, "{\"issuer\":\"" + api.url() + realm
                + "\",\"token_endpoint\":\"" + api.url() + realm + "/token\"}");
        api.on("POST", realm + "/token", r -> {
            if (r.body().contains("grant_type=password") && r.body().contains("password=s3cret-pw")) {
                return json(200, "{\"access_token\":\"a.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJib2IifQ.s\",\"expires_in\":300,"
                        + "\"refresh_token\":\"r1\",\"refresh_expires_in\":1800}");
            }
            if (r.body().contains("grant_type=refresh_token") && r.body().contains("refresh_token=r1")) {
                return json(200, "{\"access_token\":\"fresh\",\"expires_in\":300,\"refresh_token\":\"r2\","
                        + "\"refresh_expires_in\":1800}");
            }
            return json(400, "{\"error\":\"invalid_grant\"}");
        });
        api.on("GET", "/v1/me", 200, "{\"subject\":\"bob\",\"kind\":\"user\",\"tenant\":\"globex\","
                + "\"operator\":false,\"scopes\":[\"read\",\"deploy\"]}");
        cli.stdin = "s3cret-pw\n";

        assertThat(cli.run("login", "--username", "bob", "--password-stdin")).as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).isEqualTo("Logged in as bob at " + api.url() + realm + ".\n");
        Path file = config.resolve("nanofleet/credentials.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).doesNotContain("s3cret-pw");

        assertThat(cli.run("whoami")).isEqualTo(0);
        assertThat(api.requests.getLast().authorization())
                .isEqualTo("Bearer a.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJib2IifQ.s");
        assertThat(cli.out()).contains("subject:  bob", "tenant:   globex", "scopes:   read,deploy");

        cli.now = cli.now.plusSeconds(600);
        assertThat(cli.run("whoami")).isEqualTo(0);
        assertThat(api.requests.getLast().authorization()).isEqualTo("Bearer fresh");
        assertThat(Files.readString(file)).contains("r2");

        cli.env.put("NANOFLEET_TOKEN", "nfk_wins");
        assertThat(cli.run("whoami")).isEqualTo(0);
        assertThat(api.requests.getLast().authorization()).isEqualTo("Bearer nfk_wins");
    }

    @Test
    void an_expired_login_that_cannot_be_refreshed_exits_3() {
        cli.env.remove("NANOFLEET_TOKEN");
        new CredentialStore(config.resolve("nanofleet")).save(new Credentials(api.url() + "/realms/x", "nanofleet-cli",
                "old", cli.now.minusSeconds(60), "r", cli.now.minusSeconds(1)));

        assertThat(cli.run("ls")).isEqualTo(ExitCodes.NOT_LOGGED_IN);

        assertThat(cli.err()).contains("the login has expired");
    }

    @Test
    void logout_ends_the_session_and_deletes_the_cache() {
        String realm = "/realms/nanofleet";
        api.on("GET", realm + "/.well-known/openid-configuration", 200, "{\"token_endpoint\":\"" + api.url() + realm
                + "/token\",\"revocation_endpoint\":\"" + api.url() + realm + "/revoke\"}");
        api.on("POST", realm + "/revoke", r -> new FakeApi.Response(200, null, null));
        CredentialStore store = new CredentialStore(config.resolve("nanofleet"));
        store.save(new Credentials(api.url() + realm, "nanofleet-cli", "a", cli.now.plusSeconds(60), "r1", null));

        assertThat(cli.run("logout")).isEqualTo(0);

        assertThat(api.requests.getLast().body()).contains("token=r1", "token_type_hint=refresh_token");
        assertThat(store.load()).isEmpty();
    }
}
