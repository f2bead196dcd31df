package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;

import dev.nanofleet.testsupport.KeycloakServer;
import io.restassured.http.ContentType;
import java.util.UUID;

/**
 * A fresh tenant made the way operators make one (POST /v1/tenants as {@code ops}), whose first user then signs in
 * with a password of their own ({@link KeycloakServer#completeFirstSignIn}).
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
        KeycloakServer.shared().completeFirstSignIn(username, PASSWORD);
        return this;
    }

    /** An access token of the first user (after {@link #firstSignIn()}). */
    String token() {
        return KeycloakServer.shared().passwordToken(username, PASSWORD);
    }
}
