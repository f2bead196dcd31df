package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;

import dev.nanofleet.testsupport.KeycloakServer;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A fresh tenant made the way operators make one (POST /v1/tenants as {@code ops}), whose first user then signs in
 * with a password of their own: the test plays the user's first sign-in by setting it through Keycloak's admin API, as
 * the update-password page would.
 */
record TenantFixture(String id, String username, String temporaryPassword) {

    static final String PASSWORD = "first-login-chosen";

    /** Creates the tenant with the given trust and optional quotas JSON ({@code null} for the defaults). */
    static TenantFixture create(String trust, String quotasJson) {
        String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String username = "u-" + id;
        String body = """
                {"id": "%s", "name": "Tenant %s", "trust": "%s", %s "firstUser": {"username": "%s", "email": "%s@example.test", "firstName": "First", "lastName": "User"}}"""
                .formatted(id, id, trust, quotasJson == null ? "" : "\"quotas\": " + quotasJson + ",", username,
                        username);
        String temporary = given().auth().oauth2(Tokens.user("ops")).contentType(ContentType.JSON).body(body)
                .post("/v1/tenants").then().statusCode(201).extract().path("firstUser.temporaryPassword");
        return new TenantFixture(id, username, temporary);
    }

    /** The user chooses their own password, as Keycloak's required action makes them do at first sign-in. */
    TenantFixture firstSignIn() {
        String admin = adminToken();
        List<Map<String, Object>> users = given().auth().oauth2(admin).queryParam("username", username)
                .queryParam("exact", true).get(keycloakUrl() + "/admin/realms/nanofleet/users").then().statusCode(200)
                .extract().path("$");
        String userId = (String) users.getFirst().get("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"type\": \"password\", \"value\": \"" + PASSWORD + "\", \"temporary\": false}")
                .put(keycloakUrl() + "/admin/realms/nanofleet/users/" + userId + "/reset-password").then()
                .statusCode(204);
        // the update-password page also clears the required action it served
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"requiredActions\": []}")
                .put(keycloakUrl() + "/admin/realms/nanofleet/users/" + userId).then().statusCode(204);
        return this;
    }

    /** An access token of the first user (after {@link #firstSignIn()}). */
    String token() {
        return KeycloakServer.shared().passwordToken(username, PASSWORD);
    }

    static String keycloakUrl() {
        return ConfigProvider.getConfig().getValue("nanofleet.test.keycloak-url", String.class);
    }

    /** The master realm's development admin (test Keycloak only). */
    static String adminToken() {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .formParam("client_id", "admin-cli").formParam("username", "admin").formParam("password", "admin")
                .post(keycloakUrl() + "/realms/master/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
    }
}
