package dev.nanofleet.webui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SecurityHeadersTest {

    @Test
    void the_page_may_run_only_its_own_scripts_and_connect_only_to_the_configured_services() {
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("Content-Security-Policy", containsString(
                        "connect-src 'self' http://127.0.0.1:8081 http://127.0.0.1:8084 http://127.0.0.1:8080 ws://127.0.0.1:8081;"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", not(containsString("unsafe-eval")))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("X-Frame-Options", equalTo("DENY"));
    }

    @Test
    void errors_carry_the_headers_too() {
        given().get("/no-such-page").then().statusCode(404).header("X-Content-Type-Options", equalTo("nosniff"));
    }
}
