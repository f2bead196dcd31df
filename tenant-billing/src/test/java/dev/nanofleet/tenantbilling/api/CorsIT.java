package dev.nanofleet.tenantbilling.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.tenantbilling.fakes.FakeControlApiResource;
import dev.nanofleet.tenantbilling.fakes.FakeInvoices;
import dev.nanofleet.tenantbilling.fakes.FakePorts;
import dev.nanofleet.tenantbilling.fakes.Fixtures;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.tenantbilling.fakes.Tokens;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The portal calls the API from the browser: its origins (by default web-ui's on port 8085) may, others may not. */
@QuarkusTest
@TestProfile(FakePorts.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@WithTestResource(FakeControlApiResource.class)
class CorsIT {

    static final String PORTAL = "http://127.0.0.1:8085";

    @Inject
    FakeInvoices invoices;

    @Test
    void a_preflight_from_the_portal_is_allowed_for_its_methods_and_headers() {
        for (String origin : new String[]{PORTAL, "http://localhost:8085"}) {
            for (String method : new String[]{"GET", "PUT", "DELETE", "POST"}) {
                given().header("Origin", origin).header("Access-Control-Request-Method", method)
                        .header("Access-Control-Request-Headers", "authorization,content-type")
                        .options("/v1/spend-limit").then().statusCode(200)
                        .header("Access-Control-Allow-Origin", origin)
                        .header("Access-Control-Allow-Methods", containsString(method))
                        .header("Access-Control-Allow-Headers", containsString("Authorization"))
                        .header("Access-Control-Allow-Headers", containsString("Content-Type"))
                        .header("Access-Control-Max-Age", "600")
                        // bearer tokens, no cookies: the browser needs no credentials mode
                        .header("Access-Control-Allow-Credentials", not(equalTo("true")));
            }
        }
    }

    @Test
    void a_preflight_from_another_origin_is_refused() {
        for (String origin : new String[]{"https://evil.example", "http://127.0.0.1:8086", "https://127.0.0.1:8085",
                "http://127.0.0.1:8085.evil.example", "null"}) {
            given().header("Origin", origin).header("Access-Control-Request-Method", "GET")
                    .header("Access-Control-Request-Headers", "authorization").options("/v1/usage").then()
                    .statusCode(403).header("Access-Control-Allow-Origin", nullValue());
        }
    }

    @Test
    void a_preflight_for_another_method_or_header_is_not_granted_it() {
        // the answer lists what is allowed; the browser then refuses to send the rest
        given().header("Origin", PORTAL).header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "x-custom").options("/v1/spend-limit").then()
                .header("Access-Control-Allow-Methods", "GET,PUT,DELETE,POST")
                .header("Access-Control-Allow-Headers", "Authorization,Content-Type");
    }

    @Test
    void the_portals_requests_are_answered_for_it_with_the_headers_a_script_needs_exposed() {
        UUID id = UUID.randomUUID();
        invoices.store(Fixtures.invoice(id, "acme", 1, Fixtures.JANUARY));

        given().header("Origin", PORTAL).header("Authorization", Tokens.bearer("alice"))
                .get("/v1/invoices/" + id + ".csv").then().statusCode(200)
                .header("Access-Control-Allow-Origin", PORTAL)
                .header("Access-Control-Expose-Headers", containsString("Content-Disposition"))
                .header("Content-Disposition", "attachment; filename=\"NF-acme-00001.csv\"");
        // a failed call too, so the portal can read the problem and tell the person to sign in again
        given().header("Origin", PORTAL).get("/v1/usage").then().statusCode(401)
                .contentType("application/problem+json").header("Access-Control-Allow-Origin", PORTAL)
                .header("Access-Control-Expose-Headers", containsString("WWW-Authenticate"))
                .header("Access-Control-Expose-Headers", containsString("Retry-After"));
    }

    @Test
    void a_request_from_another_origin_is_refused_before_it_reaches_the_api() {
        given().header("Origin", "https://evil.example").header("Authorization", Tokens.bearer("alice"))
                .get("/v1/usage").then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
        // without an Origin (curl, the CLI, another service) nothing changes
        given().header("Authorization", Tokens.bearer("alice")).get("/v1/prices").then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
