package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.awaitEvent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.nanofleet.events.NodeLiveness;
import dev.nanofleet.events.NodeRemoved;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.events.Topics;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Join tokens and node enrollment: how a node gets the credential it calls the node API with, and loses it. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class NodeEnrollmentIT {

    private static final String TOKENS = "/v1/node-join-tokens";
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 2000, "memoryMiB": 4096}, "isolations": ["SHARED"],
             "labels": %s, "agentVersion": "0.1.0"}""";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void an_operator_creates_lists_and_revokes_join_tokens_and_sees_the_secret_only_once() {
        String description = "rack " + UUID.randomUUID();
        var created = create(Map.of("uses", 3, "ttlSeconds", 120, "labels", Map.of("zone", "b"), "description",
                description)).statusCode(201).header("Location", startsWith("http"))
                .body("secret", startsWith("nfj_")).body("uses", equalTo(3)).body("usesLeft", equalTo(3))
                .body("labels.zone", equalTo("b")).body("createdBy", equalTo("user:ops")).extract();
        String id = created.path("id");

        given().auth().oauth2(Tokens.user("ops")).get(TOKENS).then().statusCode(200)
                .body("find { it.id == '" + id + "' }.description", equalTo(description))
                .body("find { it.id == '" + id + "' }.usesLeft", equalTo(3))
                .body("find { it.id == '" + id + "' }.expiresAt", notNullValue())
                .body("find { it.id == '" + id + "' }.secret", nullValue());

        given().auth().oauth2(Tokens.user("ops")).delete(TOKENS + "/" + id).then().statusCode(204);
        given().auth().oauth2(Tokens.user("ops")).delete(TOKENS + "/" + id).then().statusCode(204);
        given().auth().oauth2(Tokens.user("ops")).get(TOKENS).then().statusCode(200)
                .body("id", not(hasItem(id)));
        enroll(created.path("secret"), name("revoked")).statusCode(401).contentType("application/problem+json");
    }

    @Test
    void defaults_are_one_use_for_an_hour() {
        var created = create(Map.of()).statusCode(201).body("uses", equalTo(1)).extract();
        java.time.Duration ttl = java.time.Duration.between(java.time.Instant.parse(created.path("createdAt")),
                java.time.Instant.parse(created.path("expiresAt")));
        assertThat(ttl).isEqualTo(java.time.Duration.ofHours(1));
    }

    @Test
    void tenants_get_403_anonymous_callers_401_and_unknown_or_malformed_ids_404() {
        given().auth().oauth2(Tokens.user("alice")).contentType(ContentType.JSON).body("{}").post(TOKENS).then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("alice")).get(TOKENS).then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("bob")).delete(TOKENS + "/" + UUID.randomUUID()).then().statusCode(403);
        given().get(TOKENS).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("ops")).delete(TOKENS + "/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("ops")).delete(TOKENS + "/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void bad_fields_are_400_problems_naming_each_field() {
        create(Map.of("ttlSeconds", 59, "uses", 1001, "labels", Map.of("", "x"), "description", "a\u0000b"))
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("ttlSeconds", "uses", "labels.", "description")));
        create(Map.of("ttlSeconds", 7 * 24 * 3600 + 1, "uses", 0)).statusCode(400)
                .body("errors.field", equalTo(List.of("ttlSeconds", "uses")));
        given().auth().oauth2(Tokens.user("ops")).contentType(ContentType.JSON).body("{\"uses\": \"many\"}")
                .post(TOKENS).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("uses"));

        String token = Tokens.joinToken(1);
        enroll(token, "Not_A_Name").statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("name")));
        given().contentType(ContentType.JSON).body(Map.of("name", name("n"))).post(NodeApi.ENROLLMENTS).then()
                .statusCode(400).body("errors.field", equalTo(List.of("joinToken")));
        given().contentType(ContentType.JSON).body("[]").post(NodeApi.ENROLLMENTS).then().statusCode(400)
                .contentType("application/problem+json");
        // none of these took the token's one use
        enroll(token, name("after-bad-fields")).statusCode(201);
    }

    @Test
    void enrollment_takes_one_use_each_and_a_used_up_token_is_refused_with_a_401_problem() {
        var created = create(Map.of("uses", 2)).statusCode(201).extract();
        String token = created.path("secret");
        enroll(token, name("one")).statusCode(201).body("credential", startsWith("nfn_"));
        enroll(token, name("two")).statusCode(201);
        String usedUp = enroll(token, name("three")).statusCode(401).contentType("application/problem+json")
                .extract().path("detail");
        given().auth().oauth2(Tokens.user("ops")).get(TOKENS).then()
                .body("find { it.id == '" + created.path("id") + "' }.usesLeft", equalTo(0));

        String expired = Tokens.joinToken(5);
        sql("UPDATE node_join_token SET expires_at = now() - interval '1 second' WHERE secret_sha256 = ?",
                dev.nanofleet.controlapi.security.BearerSecret.sha256(expired));
        String unknown = "nfj_" + "A".repeat(43);
        // expired, used up, unknown and malformed tokens get the same answer: which it is would only help a guesser
        assertThat(List.of(enroll(expired, name("late")), enroll(unknown, name("unknown")),
                enroll("nfk_whatever", name("malformed")))).allSatisfy(
                        r -> r.statusCode(401)
                                .contentType("application/problem+json")
                                .body("type", equalTo("urn:nanofleet:problem:unauthorized"))
                                .body("detail", equalTo(usedUp)));
    }

    @Test
    void an_enrollment_repeated_with_the_credential_the_node_proposed_gets_the_same_answer_and_no_second_use() {
        var created = create(Map.of("uses", 2)).statusCode(201).extract();
        String token = created.path("secret");
        String node = name("repeated");
        String proposed = proposal();

        enroll(token, node, proposed).statusCode(201).body("credential", equalTo(proposed))
                .body("name", equalTo(node));
        // the answer was lost: the node sends the same again
        enroll(token, node, proposed).statusCode(201).body("credential", equalTo(proposed));
        given().auth().oauth2(Tokens.user("ops")).get(TOKENS).then()
                .body("find { it.id == '" + created.path("id") + "' }.usesLeft", equalTo(1));
        register(proposed, node, "{}").statusCode(200);

        // whoever holds the join token but not the node's credential cannot repeat it, nor take the name
        enroll(token, node, proposal()).statusCode(409).contentType("application/problem+json");
        enroll(token, node).statusCode(409);
        // nor can the same credential be repeated with another token
        enroll(Tokens.joinToken(1), node, proposed).statusCode(409);
    }

    @Test
    void a_proposed_credential_that_is_malformed_or_in_use_is_a_400_problem_naming_it_and_keeps_the_token_use() {
        String token = Tokens.joinToken(1);
        for (String bad : List.of("nfn_short", "nfk_" + "A".repeat(43), "nfn_" + "A".repeat(42) + "!")) {
            enroll(token, name("bad"), bad).statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("credential")));
        }
        String taken = proposal();
        enroll(Tokens.joinToken(1), name("first"), taken).statusCode(201);
        enroll(token, name("copy"), taken).statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("credential")));
        enroll(token, name("after-bad-credentials")).statusCode(201);
    }

    @Test
    void a_name_enrolled_already_is_a_409_problem_and_keeps_the_token_use() {
        String node = name("taken");
        Tokens.enroll(node, Tokens.joinToken(1));
        String token = Tokens.joinToken(1);
        enroll(token, node).statusCode(409).contentType("application/problem+json");
        enroll(token, name("other")).statusCode(201);
    }

    @Test
    void concurrent_enrollments_never_take_more_than_the_uses() throws Exception {
        String token = Tokens.joinToken(3);
        int attempts = 12;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String node = name("race-" + i);
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return enroll(token, node).extract().statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> outcome : outcomes) {
                statuses.add(outcome.get());
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(3);
            assertThat(statuses).filteredOn(s -> s == 401).hasSize(attempts - 3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_node_credential_speaks_only_for_its_own_node_and_a_wrong_one_is_a_401_problem() {
        String mine = name("mine");
        String other = name("other");
        String credential = Tokens.enroll(mine, Tokens.joinToken(1));
        Tokens.enroll(other, Tokens.joinToken(1));
        register(credential, mine, "{}").statusCode(200).body("name", equalTo(mine));
        given().auth().oauth2(credential).get(path(NodeApi.ASSIGNMENTS, mine)).then().statusCode(200);
        given().auth().oauth2(credential).get(path(NodeApi.ASSIGNMENTS, other)).then().statusCode(403)
                .contentType("application/problem+json");
        register(credential, other, "{}").statusCode(403);
        given().auth().oauth2("nfn_" + "B".repeat(43)).get(path(NodeApi.ASSIGNMENTS, mine)).then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
        given().auth().oauth2("nfn_short").get(path(NodeApi.ASSIGNMENTS, mine)).then().statusCode(401)
                .contentType("application/problem+json");
        // a node is neither a tenant nor an operator
        given().auth().oauth2(credential).get("/v1/deployments").then().statusCode(403);
        given().auth().oauth2(credential).get("/v1/nodes").then().statusCode(403);
        given().auth().oauth2(credential).get(TOKENS).then().statusCode(403);
    }

    @Test
    void the_labels_a_join_token_stamps_win_over_what_the_node_registers() {
        String node = name("stamped");
        String token = create(Map.of("labels", Map.of("zone", "operator-zone", "pool", "gpu"))).statusCode(201)
                .extract().path("secret");
        String credential = Tokens.enroll(node, token);
        register(credential, node, "{\"zone\": \"node-zone\", \"disk\": \"ssd\"}").statusCode(200)
                .body("labels", equalTo(Map.of("zone", "operator-zone", "pool", "gpu", "disk", "ssd")));
        register(credential, node, "{}").statusCode(200)
                .body("labels", equalTo(Map.of("zone", "operator-zone", "pool", "gpu")));
    }

    @Test
    void a_removed_node_gets_401_leaves_the_fleet_is_lost_then_removed_for_the_scheduler_and_may_enroll_again() {
        String node = name("removed");
        String credential = Tokens.enroll(node, Tokens.joinToken(1));
        register(credential, node, "{}").statusCode(200);
        given().auth().oauth2(Tokens.user("alice")).delete("/v1/nodes/" + node).then().statusCode(403);

        given().auth().oauth2(Tokens.user("ops")).delete("/v1/nodes/" + node).then().statusCode(204);

        given().auth().oauth2(credential).post(path(NodeApi.HEARTBEAT, node)).then().statusCode(401)
                .contentType("application/problem+json");
        // the scheduler moves a lost node's replicas (Placements.nodeStatusChanged)
        NodeStatusChanged lost = awaitEvent(Topics.NODES, node, NodeStatusChanged.class,
                c -> c.status() == NodeLiveness.LOST);
        assertThat(lost.reason()).isEqualTo("removed by user:ops");
        // then consumers forget it (the scheduler no longer counts it among its nodes)
        NodeRemoved removed = awaitEvent(Topics.NODES, node, NodeRemoved.class, r -> r.nodeName().equals(node));
        assertThat(removed.reason()).isEqualTo("removed by user:ops");
        given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes").then().statusCode(200)
                .body("name", not(hasItem(node)));
        given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes/" + node).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("ops")).delete("/v1/nodes/" + node).then().statusCode(404);
        given().auth().oauth2(Tokens.user("ops")).delete("/v1/nodes/" + name("never")).then().statusCode(404);

        String again = Tokens.enroll(node, Tokens.joinToken(1));
        register(again, node, "{}").statusCode(200).body("state", equalTo("READY"));
        awaitEvent(Topics.NODES, node, NodeStatusChanged.class, c -> c.status() == NodeLiveness.READY);
        given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes/" + node).then().statusCode(200)
                .body("node.state", equalTo("ready"));
    }

    private static ValidatableResponse create(Map<String, ?> body) {
        return given().auth().oauth2(Tokens.user("ops")).contentType(ContentType.JSON).body(body).post(TOKENS)
                .then();
    }

    private static ValidatableResponse enroll(String token, String node) {
        return given().contentType(ContentType.JSON).body(Map.of("joinToken", token, "name", node))
                .post(NodeApi.ENROLLMENTS).then();
    }

    private static ValidatableResponse enroll(String token, String node, String credential) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("joinToken", token, "name", node, "credential", credential)).post(NodeApi.ENROLLMENTS)
                .then();
    }

    /** A credential as a node makes its own: nfn_ and 256 random bits. */
    private static String proposal() {
        return dev.nanofleet.controlapi.security.BearerSecret.NODE_CREDENTIAL.generate();
    }

    private static ValidatableResponse register(String credential, String node, String labels) {
        return given().auth().oauth2(credential).contentType(ContentType.JSON).body(REGISTRATION.formatted(labels))
                .post(path(NodeApi.REGISTRATION, node)).then();
    }

    private static String path(String template, String node) {
        return template.replace("{node}", node);
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void sql(String statement, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, parameter);
            assertThat(s.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
