package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.create;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or careless client can send, against real PostgreSQL, Kafka and Keycloak: nothing it sends yields a
 * 5xx, every error is problem JSON, and no tenant reads another's deployment. The generated part is seeded
 * ({@code -Dhostile.seed=N} replays a run; the seed is in every failure message; {@code -Dhostile.requests=N} sends
 * more).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class HostileInputIT {

    private static final String PROBLEM = "application/problem+json";
    /** Enough to touch every endpoint with every kind of value in a few seconds; -Dhostile.requests=N for a longer hunt. */
    private static final int GENERATED_REQUESTS = Integer.getInteger("hostile.requests", 400);

    static RawHttp.Answer send(String method, String target, String token, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return RawHttp.send(RestAssured.port, method, target, headers, body);
    }

    static RawHttp.Answer send(String method, String target, String token, String json) {
        return send(method, target, token, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertProblem(RawHttp.Answer answer, int status, String context) {
        assertThat(answer.status()).as(context + " -> " + answer).isEqualTo(status);
        assertThat(answer.contentType()).as(context + " -> " + answer).startsWith(PROBLEM);
        assertThat(answer.body()).as(context).contains("\"status\":" + status);
    }

    @Test
    void a_path_with_a_space_nul_line_break_or_bad_escape_is_a_client_error_in_problem_json_even_without_a_token() {
        List<String> paths = List.of("/v1/deployments/%20", "/v1/deployments/%00", "/v1/deployments/%0d%0a",
                "/v1/deployments/%0A", "/v1/deployments/%7B", "/v1/instances/%00/logs", "/v1/nodes/%0a/cordon",
                "/v1/deployments/%C0%AF", "/v1/%ff%fe", "/v1/deployments/%20?tail=%00",
                "/v1/node-api/nodes/%00/assignments");
        for (String path : paths) {
            for (String token : new String[]{null, Tokens.user("bob")}) {
                RawHttp.Answer answer = send("GET", path, token, null, null);
                String context = "GET " + path + (token == null ? " without a token" : " as bob");
                assertThat(answer.status()).as(context + " -> " + answer).isBetween(400, 499);
                assertThat(answer.contentType()).as(context + " -> " + answer).startsWith(PROBLEM);
            }
        }
    }

    @Test
    void a_request_line_no_uri_allows_is_refused_by_the_http_decoder_as_a_client_error() {
        List<String> paths = List.of("/v1/deployments/{", "/v1/deployments/}", "/v1/deployments/|",
                "/v1/deployments/\\", "/v1/deployments/^", "/v1/deployments/%", "/v1/deployments/%zz",
                "/v1/deployments/a%2", "/v1/deployments?%zz", "/%");
        for (String path : paths) {
            RawHttp.Answer answer = send("GET", path, null, null, null);
            assertThat(answer.status()).as("GET " + path + " -> " + answer).isEqualTo(400);
            assertThat(codecRefusal(answer) || answer.contentType().startsWith(PROBLEM)).as("GET " + path + " -> "
                    + answer).isTrue();
        }
    }

    @Test
    void a_nul_character_in_env_command_labels_or_reason_is_refused_naming_the_field() {
        String bob = Tokens.user("bob");
        RawHttp.Answer env = send("POST", "/v1/deployments", bob,
                body(uniqueName("nul")).replace("\"hello\"", "\"hel\\u0000lo\""));
        assertProblem(env, 400, "NUL in env");
        assertThat(env.body()).contains("\"field\":\"env.GREETING\"");

        RawHttp.Answer command = send("POST", "/v1/deployments", bob,
                body(uniqueName("nul")).replace("\"sleep 3600\"", "\"sleep\\u0000 3600\""));
        assertProblem(command, 400, "NUL in command");
        assertThat(command.body()).contains("\"field\":\"command[2]\"");

        String node = Tokens.node("test-b");
        String registration = """
                {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["SHARED"],
                 "labels": {"zone": "b\\u0000"}, "agentVersion": "0.1.0"}""";
        RawHttp.Answer labelValue = send("POST", NodeApi.REGISTRATION.replace("{node}", "test-b"), node,
                registration);
        assertProblem(labelValue, 400, "NUL in a label value");
        assertThat(labelValue.body()).contains("\"field\":\"labels.zone\"");
        RawHttp.Answer labelKey = send("POST", NodeApi.REGISTRATION.replace("{node}", "test-b"), node,
                registration.replace("\"zone\": \"b\\u0000\"", "\"zo\\u0000ne\": \"b\""));
        assertProblem(labelKey, 400, "NUL in a label name");
        assertThat(labelKey.body()).contains("\"field\":\"labels");

        RawHttp.Answer reason = send("PUT", NodeApi.INSTANCE_STATUS.replace("{node}", "test-b")
                .replace("{instanceId}", UUID.randomUUID().toString()), node,
                "{\"state\": \"FAILED\", \"reason\": \"boom\\u0000\"}");
        assertProblem(reason, 400, "NUL in a reason");
        assertThat(reason.body()).contains("\"field\":\"reason\"");
    }

    @Test
    void a_repeated_json_key_is_a_malformed_request() {
        RawHttp.Answer answer = send("POST", "/v1/deployments", Tokens.user("bob"),
                body(uniqueName("dup")).replace("\"replicas\": 2", "\"replicas\": 2, \"replicas\": 2"));
        assertProblem(answer, 400, "repeated key");
        RawHttp.Answer scale = send("PATCH", "/v1/deployments/" + UUID.randomUUID(), Tokens.user("bob"),
                "{\"replicas\":2,\"replicas\":3}");
        assertProblem(scale, 400, "repeated key in a scale");
    }

    @Test
    void trailing_garbage_after_a_json_body_is_a_malformed_request() {
        RawHttp.Answer answer = send("POST", "/v1/deployments", Tokens.user("bob"),
                body(uniqueName("trail")) + " {\"more\": 1}");
        assertProblem(answer, 400, "trailing object");
        RawHttp.Answer junk = send("POST", "/v1/deployments", Tokens.user("bob"), body(uniqueName("trail")) + "xyz");
        assertProblem(junk, 400, "trailing junk");
    }

    @Test
    void an_agent_url_with_a_port_out_of_range_is_refused_at_registration() {
        RawHttp.Answer answer = send("POST", NodeApi.REGISTRATION.replace("{node}", "test-b"),
                Tokens.node("test-b"), """
                        {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["SHARED"],
                         "agentUrl": "http://127.0.0.1:99999", "agentVersion": "0.1.0"}""");
        assertProblem(answer, 422, "agentUrl port 99999");
        assertThat(answer.body()).contains("\"field\":\"agentUrl\"");
    }

    @Test
    void a_body_over_the_size_limit_is_payload_too_large_in_problem_json() {
        byte[] huge = ("{\"name\": \"" + "a".repeat(600 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        for (String token : new String[]{null, Tokens.user("bob")}) {
            RawHttp.Answer answer = send("POST", "/v1/deployments", token, "application/json", huge);
            assertProblem(answer, 413, "600 KiB body");
        }
    }

    @Test
    void a_delete_racing_the_placement_of_a_new_deployment_never_fails_on_the_server() throws Exception {
        String bob = Tokens.user("bob");
        List<Thread> threads = new ArrayList<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread thread = Thread.ofPlatform().start(() -> {
                for (int n = 0; n < 6; n++) {
                    var created = create("bob", body(uniqueName("race"))).statusCode(201).extract();
                    String id = created.path("id");
                    List<String> instances = created.path("instances.id");
                    // the scheduler's placements arrive while the tenant deletes: both change the instance rows
                    for (String instance : instances) {
                        SchedulerStandIn.publish(SchedulerStandIn.event("globex", instance, new InstancePlaced(
                                UUID.fromString(instance), UUID.fromString(id), "test-a", Isolation.SHARED)));
                    }
                    RawHttp.Answer deleted = send("DELETE", "/v1/deployments/" + id, bob, null, null);
                    if (deleted.status() != 202) {
                        failures.add("DELETE " + id + " -> " + deleted);
                    }
                }
            });
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }

    // ---- the generated part -------------------------------------------------------------------------------

    private record Endpoint(String method, String template, boolean hasBody) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(new Endpoint("POST", "/v1/deployments", true),
            new Endpoint("GET", "/v1/deployments", false), new Endpoint("GET", "/v1/deployments/{id}", false),
            new Endpoint("PATCH", "/v1/deployments/{id}", true), new Endpoint("DELETE", "/v1/deployments/{id}", false),
            new Endpoint("GET", "/v1/deployments/{id}/revisions", false),
            new Endpoint("POST", "/v1/deployments/{id}/rollback", true),
            new Endpoint("POST", "/v1/deployments/{id}/stop", false),
            new Endpoint("POST", "/v1/deployments/{id}/start", false),
            new Endpoint("POST", "/v1/deployments/{id}/restart", false),
            new Endpoint("GET", "/v1/instances/{id}/logs", false), new Endpoint("GET", "/v1/nodes", false),
            new Endpoint("GET", "/v1/nodes/{name}", false), new Endpoint("GET", "/v1/instances", false),
            new Endpoint("POST", "/v1/nodes/{name}/cordon", false),
            new Endpoint("POST", "/v1/nodes/{name}/drain", false),
            new Endpoint("POST", "/v1/nodes/{name}/uncordon", false),
            new Endpoint("POST", NodeApi.REGISTRATION, true), new Endpoint("POST", NodeApi.HEARTBEAT, false),
            new Endpoint("GET", NodeApi.ASSIGNMENTS, false), new Endpoint("PUT", NodeApi.INSTANCE_STATUS, true),
            new Endpoint("POST", NodeApi.USAGE, true), new Endpoint("GET", "/q/openapi", false));

    @Test
    void generated_hostile_requests_to_every_endpoint_get_no_5xx_problem_json_for_every_error_and_no_other_tenants_data() {
        long seed = Long.getLong("hostile.seed", System.nanoTime());
        Random random = new Random(seed);
        String secretMarker = "bobs-private-" + UUID.randomUUID();
        var bobs = create("bob", body(uniqueName("bobs")).replace("\"hello\"", "\"" + secretMarker + "\""))
                .statusCode(201).extract();
        String bobsDeployment = bobs.path("id");
        String bobsInstance = bobs.path("instances[0].id");
        Map<String, Supplier<String>> tokens = new LinkedHashMap<>();
        tokens.put("none", () -> null);
        tokens.put("garbage", () -> "not-a-token");
        tokens.put("unsigned", () -> "eyJhbGciOiJub25lIn0.eyJ0ZW5hbnQiOiJnbG9iZXgiLCJzdWIiOiJib2IifQ.");
        tokens.put("tampered", () -> tamper(Tokens.user("bob")));
        tokens.put("alice", () -> Tokens.user("alice"));
        tokens.put("ops", () -> Tokens.user("ops"));
        tokens.put("node", () -> Tokens.node("test-b"));
        List<String> tokenNames = List.copyOf(tokens.keySet());
        Generator generator = new Generator(random);

        List<String> failures = new ArrayList<>();
        for (int n = 0; n < GENERATED_REQUESTS && failures.size() < 20; n++) {
            Endpoint endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
            String tokenName = tokenNames.get(random.nextInt(tokenNames.size()));
            String id = random.nextInt(3) == 0 ? bobsDeployment : generator.pathSegment();
            String target = endpoint.template().replace("{id}", endpoint.template().startsWith("/v1/instances")
                    ? (random.nextBoolean() ? bobsInstance : generator.pathSegment())
                    : id).replace("{name}", generator.pathSegment()).replace("{node}",
                            random.nextInt(4) == 0 ? generator.pathSegment() : "test-b")
                    .replace("{instanceId}", random.nextBoolean() ? bobsInstance : generator.pathSegment())
                    + generator.query();
            byte[] body = endpoint.hasBody() || random.nextInt(5) == 0 ? generator.body(endpoint) : null;
            String contentType = random.nextInt(8) == 0 ? generator.contentType() : "application/json";
            Map<String, String> headers = new LinkedHashMap<>();
            String token = tokens.get(tokenName).get();
            if (token != null) {
                headers.put("Authorization", random.nextInt(10) == 0 ? token : "Bearer " + token);
            }
            headers.put("Content-Type", contentType);
            if (random.nextInt(15) == 0) {
                headers.put("X-Filler", "x".repeat(random.nextInt(30_000)));
            }
            String request = endpoint.method() + " " + target + " token=" + tokenName + " body="
                    + (body == null ? "none" : abbreviate(new String(body, StandardCharsets.UTF_8)));
            RawHttp.Answer answer = RawHttp.send(RestAssured.port, endpoint.method(), target, headers, body);
            if (codecRefusal(answer)) {
                continue;
            }
            if (answer.status() >= 500) {
                failures.add(request + " -> " + answer);
            } else if (answer.status() >= 400 && !answer.contentType().startsWith(PROBLEM)) {
                failures.add("not problem JSON: " + request + " -> " + answer);
            } else if (!tokenName.equals("none") && !tokenName.equals("ops") // operators see the whole fleet
                    && answer.status() < 300
                    && (answer.body().contains(secretMarker) || answer.body().contains(bobsDeployment))) {
                failures.add("another tenant's data: " + request + " -> " + answer);
            }
        }
        assertThat(failures).as("seed " + seed + " (replay with -Dhostile.seed=" + seed + ")").isEmpty();
    }

    /**
     * Netty's HTTP decoder refuses, before the server has a request to hand to any handler, a request line that is not
     * a valid URI (a raw brace, pipe or backslash, a broken {@code %} escape: 400), longer than 4 KiB (414) or headers
     * over 20 KiB (431). Vert.x then answers with an empty body and closes the connection; Quarkus 3.34 gives no hook
     * for Vert.x's invalid-request handler, which is read once when the server starts listening. Still a client error,
     * never a 5xx.
     */
    private static boolean codecRefusal(RawHttp.Answer answer) {
        return (answer.status() == 400 || answer.status() == 414 || answer.status() == 431)
                && answer.body().isEmpty() && !answer.headers().containsKey("content-type");
    }

    private static String tamper(String jwt) {
        char last = jwt.charAt(jwt.length() - 2);
        return jwt.substring(0, jwt.length() - 2) + (last == 'A' ? 'B' : 'A') + jwt.charAt(jwt.length() - 1);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "...(" + text.length() + " chars)" : text;
    }

    /** Hostile values, all drawn from one seeded random source. */
    private static final class Generator {

        private static final String[] SEGMENTS = {"%00", "%0a", "%0d%0a", "%20", "%", "%zz", "%ff", "%C0%80", "{",
                "}", "..", "%2e%2e", "%2F", "a%2Fb", "\u00e9", "not-a-uuid", "00000000-0000-0000-0000-000000000000",
                "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "test-a", "' OR 1=1 --", "%27", "x".repeat(3000), "-1",
                "%u0000", "|", "\\", "^", "`", "[", "]"};
        private static final String[] QUERIES = {"", "", "", "?tail=-1", "?tail=99999999999", "?tail=abc",
                "?follow=maybe", "?tail=%00", "?%zz", "?tail=5&tail=6", "?follow=true&tail=0",
                "?a=" + "b".repeat(5000), "?state=%00", "?state=running,,", "?limit=1e3", "?limit=%00",
                "?node=%00", "?tenant=%0d%0a", "?tenant=" + "t".repeat(3000)};
        private static final String[] CONTENT_TYPES = {"text/plain", "application/xml",
                "application/json; charset=utf-16",
                "multipart/form-data", "application/x-www-form-urlencoded", "garbage", ""};
        private static final String[] FIELDS = {"name", "image", "replicas", "resources", "isolation", "command", "env",
                "restartPolicy", "ports", "imageCredentials", "secrets", "allocatable", "isolations", "labels",
                "agentUrl", "agentVersion", "state", "reason", "exitCode", "restarts", "network", "samples"};

        private final Random random;

        Generator(Random random) {
            this.random = random;
        }

        String pathSegment() {
            return random.nextInt(3) == 0 ? UUID.randomUUID().toString() : SEGMENTS[random.nextInt(SEGMENTS.length)];
        }

        String query() {
            return QUERIES[random.nextInt(QUERIES.length)];
        }

        String contentType() {
            return CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        }

        byte[] body(Endpoint endpoint) {
            String json = switch (random.nextInt(10)) {
                case 0 -> value(0);
                case 1 -> DeploymentApiIT.body(uniqueName("gen")) + garbage();
                case 2 -> "{\"replicas\": 1, \"replicas\": 2}";
                case 3 -> "[".repeat(2000 + random.nextInt(2000));
                case 4 -> "{\"name\": \"" + "n".repeat(random.nextInt(700 * 1024)) + "\"}";
                default -> object();
            };
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(10) == 0 && bytes.length > 2) {
                bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80)); // not UTF-8
            }
            return bytes;
        }

        private String object() {
            StringBuilder json = new StringBuilder("{");
            int fields = 1 + random.nextInt(6);
            for (int i = 0; i < fields; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append('"').append(FIELDS[random.nextInt(FIELDS.length)]).append("\":").append(value(0));
            }
            return json.append('}').toString();
        }

        private String value(int depth) {
            return switch (random.nextInt(depth > 3 ? 8 : 11)) {
                case 0 -> "null";
                case 1 -> Boolean.toString(random.nextBoolean());
                case 2 -> Long.toString(random.nextLong());
                case 3 -> "1e309";
                case 4 -> "-0.5";
                case 5 -> string();
                case 6 -> Integer.toString(random.nextInt(100));
                case 7 -> "99999999999999999999999999";
                case 8 -> "[" + value(depth + 1) + "," + value(depth + 1) + "]";
                case 9 -> "{\"" + FIELDS[random.nextInt(FIELDS.length)] + "\":" + value(depth + 1) + ",\"K\":"
                        + value(depth + 1) + "}";
                default -> "{\"cpuMillis\":" + value(depth + 1) + ",\"memoryMiB\":" + value(depth + 1) + "}";
            };
        }

        private String string() {
            String[] strings = {"\"\"", "\"\\u0000\"", "\"a\\nb\\r\\n\"", "\"\\ud800\"", "\"" + "s".repeat(70_000)
                    + "\"", "\"HARDWARE\"", "\"http://127.0.0.1:99999\"", "\"http://[::1\"", "\"RUNNING\"",
                    "\"busybox:1.36\"", "\"\\u202e\\u0007\"", "\"2026-13-45T99:99:99Z\""};
            return strings[random.nextInt(strings.length)];
        }

        private String garbage() {
            String[] garbage = {" x", "}", " {}", "\u0000", " // comment", ",", " ]"};
            return garbage[random.nextInt(garbage.length)];
        }
    }
}
