package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Tenants' private networks in the node API: control-api allocates each (tenant, node) pair a fleet-unique /24 and each
 * tenant one VXLAN identifier, and tells a node only about the tenants it hosts, with their peers and directory.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class PrivateNetworkIT {

    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 64000, "memoryMiB": 262144}, "isolations": ["HARDWARE", "SHARED"],
             "labels": {}, "agentVersion": "0.1.0", "agentUrl": "http://127.0.0.1:%d"}""";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void each_tenant_node_pair_gets_a_fleet_unique_subnet_and_a_node_hears_only_of_tenants_it_hosts() {
        String one = uniqueName("pn-one");
        String two = uniqueName("pn-two");
        register(one, 9101);
        register(two, 9102);
        TenantFixture a = TenantFixture.create("trusted", null).firstSignIn();
        TenantFixture b = TenantFixture.create("trusted", null).firstSignIn();
        String web = uniqueName("web");
        String aOnOne = place(a, create(a, web), one);
        String aOnTwo = place(a, create(a, uniqueName("db")), two);
        place(b, create(b, uniqueName("other")), one);

        // a node's subnet is allocated when it first fetches its list; the node fetched before learns of it next time
        // (a replica there that runs with an address wakes the tenant's other nodes, see V1_15)
        Map<String, Object> early = network(assignments(one), a.id());
        JsonPath second = assignments(two);
        JsonPath first = assignments(one);
        assertThat((List<?>) early.get("peers")).isEmpty();

        assertThat(first.getList("privateNetworks.tenant")).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(second.getList("privateNetworks.tenant")).containsExactly(a.id());
        Map<String, Object> aFirst = network(first, a.id());
        Map<String, Object> bFirst = network(first, b.id());
        Map<String, Object> aSecond = network(second, a.id());
        assertThat(List.of(aFirst.get("subnet"), bFirst.get("subnet"), aSecond.get("subnet"))).doesNotHaveDuplicates()
                .allSatisfy(s -> assertThat((String) s).startsWith("10.").endsWith("/24"));
        assertThat(aFirst.get("vni")).isEqualTo(aSecond.get("vni")).isNotEqualTo(bFirst.get("vni"));
        assertThat(aFirst.get("range")).isEqualTo("10.192.0.0/12");
        // each side knows the other by the address its agent registered, and B's network has no peer at all
        assertThat(aFirst.get("peers")).isEqualTo(List.of(Map.of("node", two, "underlay", "127.0.0.1", "subnet",
                aSecond.get("subnet"))));
        assertThat(aSecond.get("peers")).isEqualTo(List.of(Map.of("node", one, "underlay", "127.0.0.1", "subnet",
                aFirst.get("subnet"))));
        assertThat((List<?>) bFirst.get("peers")).isEmpty();
        // a fetch allocates nothing new
        assertThat(early.get("subnet")).isEqualTo(aFirst.get("subnet"));

        // a replica that runs (no health check) with an address of its subnet is in its tenant's directory only
        String address = ((String) aFirst.get("subnet")).replace(".0/24", ".2");
        NodeApiIT.report(one, aOnOne, "{\"state\": \"RUNNING\", \"network\": {\"address\": \"" + address
                + "\", \"ports\": []}}").statusCode(204);
        NodeApiIT.report(two, aOnTwo, "{\"state\": \"RUNNING\", \"network\": {\"address\": \"10.213.0.2\","
                + " \"ports\": []}}").statusCode(204);
        assertThat(network(assignments(two), a.id()).get("names")).isEqualTo(Map.of(web, List.of(address)));
        assertThat(network(assignments(one), b.id()).get("names")).isEqualTo(Map.of());
    }

    private static void register(String node, int port) {
        given().auth().oauth2(Tokens.node(node)).contentType(ContentType.JSON).body(REGISTRATION.formatted(port))
                .post(NodeApi.REGISTRATION.replace("{node}", node)).then().statusCode(200);
    }

    private static String create(TenantFixture tenant, String name) {
        return given().auth().oauth2(tenant.token()).contentType(ContentType.JSON).body("""
                {"name": "%s", "image": "busybox:1.36", "replicas": 1, "isolation": "shared",
                 "resources": {"cpuMillis": 100, "memoryMiB": 64}}""".formatted(name)).post("/v1/deployments")
                .then().statusCode(201).extract().path("id");
    }

    /** Plays the scheduler: places the deployment's pending replica on the node; returns the instance id. */
    private String place(TenantFixture tenant, String deployment, String node) {
        String instance = given().auth().oauth2(tenant.token()).get("/v1/deployments/" + deployment).then()
                .statusCode(200).extract().path("instances[0].id");
        SchedulerStandIn.awaitProcessed(dataSource, SchedulerStandIn.publish(tenant.id(), instance,
                new InstancePlaced(UUID.fromString(instance), UUID.fromString(deployment), node, Isolation.SHARED)));
        return instance;
    }

    private static JsonPath assignments(String node) {
        return given().auth().oauth2(Tokens.node(node)).get(NodeApi.ASSIGNMENTS.replace("{node}", node)).then()
                .statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> network(JsonPath list, String tenant) {
        return list.getMap("privateNetworks.find { it.tenant == '" + tenant + "' }");
    }
}
