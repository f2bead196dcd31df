package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.fakes.FakePorts;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.tenantbilling.fakes.Tokens;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@TestProfile(ControlApiDownIT.NothingListens.class)
class ControlApiDownIT {

    /** control-api's URL names a port nothing listens on: connections are refused. */
    public static class NothingListens extends FakePorts {

        @Override
        public Map<String, String> getConfigOverrides() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return Map.of("nanofleet.billing.control-api-url", "http://127.0.0.1:" + socket.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void an_api_token_gets_a_503_problem_while_control_api_cannot_be_reached() {
        given().header("Authorization", "Bearer nfk_some-token-iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii")
                .get("/v1/usage").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5").body("status", equalTo(503))
                .body("type", equalTo("urn:nanofleet:problem:identity-unavailable"));
    }

    @Test
    void keycloak_tokens_do_not_need_control_api() {
        given().header("Authorization", Tokens.bearer("alice")).get("/v1/invoices").then().statusCode(200);
    }
}
