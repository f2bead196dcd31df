package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A deployment's egress policy: validated, shown, revised like the rest of the spec, and handed to its node. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class EgressApiIT {

    private static final String NODE = "test-egress";
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 64000, "memoryMiB": 262144}, "isolations": ["HARDWARE", "SHARED"],
             "labels": {}, "agentVersion": "0.1.0"}""";
    private static final String ALLOW_LIST = """
            {"mode": "allow-list", "allow": [{"cidr": "203.0.113.0/24", "ports": [443]},
             {"cidr": "198.51.100.7/32"}]}""";

    @Inject
    AgroalDataSource dataSource;

    private TenantFixture tenant;
    private String token;

    @BeforeEach
    void tenant_and_node() {
        tenant = TenantFixture.create("trusted", null).firstSignIn();
        token = tenant.token();
        given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON).body(REGISTRATION)
                .post(NodeApi.REGISTRATION.replace("{node}", NODE)).then().statusCode(200);
    }

    private ValidatableResponse create(String egress) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("""
                {"name": "%s", "image": "busybox:1.36", "replicas": 1, "isolation": "shared",
                 "resources": {"cpuMillis": 100, "memoryMiB": 64}%s}"""
                .formatted(uniqueName("egress"), egress == null ? "" : ", \"egress\": " + egress))
                .post("/v1/deployments").then();
    }

    private ValidatableResponse patch(String id, String json) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(json).patch("/v1/deployments/" + id)
                .then();
    }

    @Test
    void a_deployment_allows_all_egress_by_default_and_shows_the_allow_list_it_was_given() {
        String id = create(null).statusCode(201).body("egress.mode", equalTo("allow-all"))
                .body("egress.allow", nullValue()).extract().path("id");
        given().auth().oauth2(token).get("/v1/deployments/" + id).then().statusCode(200)
                .body("egress.mode", equalTo("allow-all"));

        create(ALLOW_LIST).statusCode(201).body("egress.mode", equalTo("allow-list"))
                .body("egress.allow", hasSize(2)).body("egress.allow[0].cidr", equalTo("203.0.113.0/24"))
                .body("egress.allow[0].ports", equalTo(java.util.List.of(443)))
                .body("egress.allow[1].cidr", equalTo("198.51.100.7/32"));
        create("{\"mode\": \"deny-all\"}").statusCode(201).body("egress.mode", equalTo("deny-all"));
    }

    @Test
    void every_bad_part_of_an_egress_policy_is_named_in_a_problem() {
        expectField(create("{\"mode\": \"allow-list\", \"allow\": [{\"cidr\": \"203.0.113.5/24\"}]}"),
                "egress.allow[0].cidr", "host bits set: the network is 203.0.113.0/24");
        expectField(create("{\"mode\": \"allow-list\", \"allow\": [{\"cidr\": \"example.com\"}]}"),
                "egress.allow[0].cidr", "IPv4 network in CIDR form");
        expectField(create("{\"mode\": \"allow-list\", \"allow\": [{\"cidr\": \"10.0.0.0/33\"}]}"),
                "egress.allow[0].cidr", "prefix length above 32");
        expectField(create("{\"mode\": \"allow-list\", \"allow\": [{\"cidr\": \"10.0.0.0/8\", \"ports\": [70000]}]}"),
                "egress.allow[0].ports[0]", "between 1 and 65535");
        expectField(create("{\"mode\": \"deny-all\", \"allow\": [{\"cidr\": \"10.0.0.0/8\"}]}"), "egress.allow",
                "only for allow-list, not deny-all");
        expectField(create("{\"mode\": \"allow-list\"}"), "egress.allow", "required for allow-list");
        expectField(create("{\"allow\": []}"), "egress.mode", "is required");
        expectField(create("{\"mode\": \"some\"}"), "egress.mode", "allow-all, deny-all, allow-list");
        String tooMany = IntStream.range(0, 51).mapToObj(i -> "{\"cidr\": \"10.0." + i + ".0/24\"}").collect(
                Collectors.joining(",", "{\"mode\": \"allow-list\", \"allow\": [", "]}"));
        expectField(create(tooMany), "egress.allow", "at most 50 entries");

        String id = create(null).statusCode(201).extract().path("id");
        expectField(patch(id, "{\"egress\": {\"mode\": \"allow-all\", \"allow\": [{\"cidr\": \"10.0.0.0/8\"}]}}"),
                "egress.allow", "only for allow-list, not allow-all");
    }

    @Test
    void an_egress_change_is_a_new_revision_and_each_replica_takes_its_revisions_policy_to_its_node() {
        String id = create(ALLOW_LIST).statusCode(201).extract().path("id");
        JsonPath assignment = place(id);
        assertThat(assignment.getString("egress.mode")).isEqualTo("ALLOW_LIST");
        assertThat(assignment.getList("egress.allow.cidr")).containsExactly("203.0.113.0/24", "198.51.100.7/32");
        assertThat(assignment.getList("egress.allow[0].ports")).containsExactly(443);

        patch(id, "{\"egress\": {\"mode\": \"deny-all\"}}").statusCode(200).body("revision", equalTo(2))
                .body("egress.mode", equalTo("deny-all"));

        JsonPath revisions = given().auth().oauth2(token).get("/v1/deployments/" + id + "/revisions").then()
                .statusCode(200).extract().jsonPath();
        assertThat(revisions.getList("[0].changed", String.class)).containsExactly("egress");
        assertThat(revisions.getString("[0].diff.find { it.field == 'egress' }.from.mode")).isEqualTo("allow-list");
        assertThat(revisions.getString("[0].diff.find { it.field == 'egress' }.to.mode")).isEqualTo("deny-all");
        assertThat(revisions.getString("[0].spec.egress.mode")).isEqualTo("deny-all");
        assertThat(revisions.getString("[1].spec.egress.mode")).isEqualTo("allow-list");
        // the replica of revision 1 keeps the policy it was started with until the rollout replaces it
        JsonPath list = assignments();
        assertThat(list.getString("assignments.find { it.deploymentId == '" + id + "' }.egress.mode")).isEqualTo(
                "ALLOW_LIST");
    }

    /** Plays the scheduler: places the deployment's pending replica on the node; returns its assignment. */
    private JsonPath place(String deployment) {
        JsonPath d = given().auth().oauth2(token).get("/v1/deployments/" + deployment).then().statusCode(200)
                .extract().jsonPath();
        String instance = d.getString("instances[0].id");
        SchedulerStandIn.awaitProcessed(dataSource, SchedulerStandIn.publish(tenant.id(), instance,
                new InstancePlaced(UUID.fromString(instance), UUID.fromString(deployment), NODE, Isolation.SHARED)));
        JsonPath list = assignments();
        return new JsonPath(list.prettify()).setRootPath("assignments.find { it.instanceId == '" + instance + "' }");
    }

    private JsonPath assignments() {
        return given().auth().oauth2(Tokens.node(NODE)).get(NodeApi.ASSIGNMENTS.replace("{node}", NODE)).then()
                .statusCode(200).extract().jsonPath();
    }

    private static void expectField(ValidatableResponse response, String field, String message) {
        response.statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:validation"))
                .body("errors.find { it.field == '" + field + "' }.message", containsString(message));
    }
}
