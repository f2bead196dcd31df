package dev.nanofleet.tenantbilling.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.tenantbilling.fakes.FakePorts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NANOFLEET_PORTAL_ORIGINS names the portal's origins when it is not web-ui's default one (a deployment's). */
@QuarkusTest
@TestProfile(PortalOriginsIT.PortalElsewhere.class)
class PortalOriginsIT {

    public static class PortalElsewhere extends FakePorts {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("NANOFLEET_PORTAL_ORIGINS", "https://portal.nanofleet.example,http://127.0.0.1:18085");
        }
    }

    @Test
    void the_origins_the_variable_names_are_allowed_and_the_default_ones_no_longer() {
        for (String origin : new String[]{"https://portal.nanofleet.example", "http://127.0.0.1:18085"}) {
            given().header("Origin", origin).header("Access-Control-Request-Method", "GET")
                    .header("Access-Control-Request-Headers", "authorization").options("/v1/usage").then()
                    .statusCode(200).header("Access-Control-Allow-Origin", origin);
        }
        given().header("Origin", "http://127.0.0.1:8085").header("Access-Control-Request-Method", "GET")
                .options("/v1/usage").then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
    }
}
