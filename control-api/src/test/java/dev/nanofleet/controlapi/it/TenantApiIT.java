package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** Operators administer tenants: create (with the first user in the real Keycloak), read, change trust and state. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class TenantApiIT {

    @Test
    void an_operator_creates_a_tenant_whose_first_user_must_choose_a_password_and_then_deploys() {
        TenantFixture tenant = TenantFixture.create("untrusted", null);
        assertThat(tenant.temporaryPassword()).hasSizeGreaterThanOrEqualTo(20);

        // the one-time password signs nobody in by the password grant: Keycloak wants a new password first
        assertThatThrownBy(() -> KeycloakServer.shared().passwordToken(tenant.username(), tenant.temporaryPassword()))
                .isInstanceOf(KeycloakServer.TokenException.class).hasMessageContaining("not fully set up");

        String token = tenant.firstSignIn().token();
        assertThat(KeycloakServer.claimsJson(token).path("tenant").asText()).isEqualTo(tenant.id());
        given().auth().oauth2(token).get("/v1/me").then().statusCode(200)
                .body("subject", equalTo("user:" + tenant.username()))
                .body("kind", equalTo("user")).body("tenant", equalTo(tenant.id())).body("operator", equalTo(false))
                .body("scopes", contains("read", "deploy", "exec", "admin")).body("trust", equalTo("untrusted"));
        // trust comes from the tenant record: this one is untrusted, so no shared kernel
        deploy(token, "shared").statusCode(422).body("type", equalTo("urn:nanofleet:problem:isolation-not-allowed"));
        deploy(token, "auto").statusCode(201).body("isolation", equalTo("hardware"));

        given().auth().oauth2(Tokens.user("ops")).get("/v1/tenants/" + tenant.id()).then().statusCode(200)
                .body("id", equalTo(tenant.id())).body("trust", equalTo("untrusted")).body("state", equalTo("active"))
                .body("quotas.hardware.instances", notNullValue()).body("createdAt", notNullValue());
        given().auth().oauth2(Tokens.user("ops")).get("/v1/tenants").then().statusCode(200)
                .body("id", hasItem(tenant.id())).body("id", hasItem("acme")).body("id", hasItem("globex"));
    }

    @Test
    void raising_trust_takes_effect_on_the_next_request() {
        TenantFixture tenant = TenantFixture.create("untrusted", null).firstSignIn();
        String token = tenant.token();
        deploy(token, "shared").statusCode(422);
        patch(tenant.id(), "{\"trust\": \"trusted\"}").statusCode(200).body("trust", equalTo("trusted"));
        given().auth().oauth2(token).get("/v1/me").then().statusCode(200).body("trust", equalTo("trusted"));
        deploy(token, "shared").statusCode(201).body("isolation", equalTo("shared"));
        deploy(token, "auto").statusCode(201).body("isolation", equalTo("shared"));
    }

    @Test
    void a_suspended_tenant_reads_but_changes_nothing_its_replicas_stop_and_come_back_on_resume() {
        TenantFixture tenant = TenantFixture.create("trusted", null).firstSignIn();
        String token = tenant.token();
        String id = deploy(token, "shared").statusCode(201).extract().path("id");

        patch(tenant.id(), "{\"state\": \"suspended\"}").statusCode(200).body("state", equalTo("suspended"));
        deploy(token, "shared").statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("suspended"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"replicas\": 3}")
                .patch("/v1/deployments/" + id).then().statusCode(403).body("detail", containsString("suspended"));
        given().auth().oauth2(token).get("/v1/deployments/" + id).then().statusCode(200)
                .body("instances.desiredState", everyItem(equalTo("stopped")))
                .body("instances.reason", everyItem(equalTo("tenant suspended")));

        patch(tenant.id(), "{\"state\": \"active\"}").statusCode(200).body("state", equalTo("active"));
        given().auth().oauth2(token).get("/v1/deployments/" + id).then().statusCode(200).body("instances", hasSize(4))
                .body("instances.findAll { it.desiredState == 'running' }.state", contains("pending", "pending"));
    }

    @Test
    void tenants_nodes_and_strangers_cannot_administer_tenants() {
        given().auth().oauth2(Tokens.user("bob")).get("/v1/tenants").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("{\"state\": \"suspended\"}")
                .patch("/v1/tenants/globex").then().statusCode(403);
        given().auth().oauth2(Tokens.node("test-a")).get("/v1/tenants/acme").then().statusCode(403);
        given().get("/v1/tenants").then().statusCode(401).contentType("application/problem+json");
        // a tenant reads its own usage, and another's is not found
        given().auth().oauth2(Tokens.user("bob")).get("/v1/tenants/globex/usage").then().statusCode(200)
                .body("tenant", equalTo("globex")).body("quotas", hasSize(6));
        given().auth().oauth2(Tokens.user("bob")).get("/v1/tenants/acme/usage").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void bad_tenant_bodies_name_their_fields_and_store_nothing() {
        String ops = Tokens.user("ops");
        create(ops, "{\"id\": \"Bad_Id\", \"name\": \"\", \"trust\": \"sorta\", \"firstUser\": {\"username\": \"X\"}}")
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("id", "name", "trust", "firstUser.username"));
        create(ops, "{\"id\": \"admin\", \"name\": \"A\", \"firstUser\": {\"username\": \"a-user\"}}").statusCode(400)
                .body("errors.field", contains("id")).body("errors[0].message", containsString("reserved"));
        create(ops, "{\"id\": \"quota-bad\", \"name\": \"Q\", \"quotas\": {\"hardware\": {\"instances\": -1}},"
                + " \"firstUser\": {\"username\": \"qb\"}}").statusCode(400)
                .body("errors.field", contains("quotas.hardware.instances"));
        create(ops, "{\"id\": \"nouser\", \"name\": \"N\"}").statusCode(400).body("errors.field",
                contains("firstUser"));
        create(ops, "[]").statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(ops).get("/v1/tenants/quota-bad").then().statusCode(404);
        given().auth().oauth2(ops).get("/v1/tenants/nouser").then().statusCode(404);
        patch("globex", "{\"state\": \"gone\", \"trust\": \"maybe\"}").statusCode(400)
                .body("errors.field", contains("trust", "state"));
        patch("no-such-tenant", "{\"name\": \"x\"}").statusCode(404).contentType("application/problem+json");
    }

    @Test
    void a_taken_tenant_id_is_a_conflict_and_a_taken_username_names_the_field_and_stores_nothing() {
        TenantFixture first = TenantFixture.create("untrusted", null);
        String ops = Tokens.user("ops");
        create(ops, "{\"id\": \"" + first.id() + "\", \"name\": \"Again\", \"firstUser\": {\"username\": \"other\"}}")
                .statusCode(409).body("type", equalTo("urn:nanofleet:problem:conflict"));
        String id = "dup" + first.id().substring(1);
        create(ops, "{\"id\": \"" + id + "\", \"name\": \"Dup\", \"firstUser\": {\"username\": \"" + first.username()
                + "\"}}").statusCode(400).body("errors.field", contains("firstUser.username"))
                .body("errors[0].message", containsString("already exists"));
        given().auth().oauth2(ops).get("/v1/tenants/" + id).then().statusCode(404);
    }

    private static ValidatableResponse deploy(String token, String isolation) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(body(uniqueName("t")).replace("\"isolation\": \"auto\"", "\"isolation\": \"" + isolation + "\""))
                .post("/v1/deployments").then();
    }

    private static ValidatableResponse create(String token, String json) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(json).post("/v1/tenants").then();
    }

    static ValidatableResponse patch(String tenant, String json) {
        return given().auth().oauth2(Tokens.user("ops")).contentType(ContentType.JSON).body(json)
                .patch("/v1/tenants/" + tenant).then();
    }
}
