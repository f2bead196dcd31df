package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.fakes.FakePorts;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.nanofleet.tenantbilling.fakes.FakeControlApi;
import dev.nanofleet.tenantbilling.fakes.FakeControlApiResource;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakePorts.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@WithTestResource(FakeControlApiResource.class)
class ApiTokenIT {

    static final String TOKEN = "nfk_cache-test-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    static final String REVOKED = "nfk_revoked-ffffffffffffffffffffffffffffffffffffffffff";
    static final String BROKEN = "nfk_broken-gggggggggggggggggggggggggggggggggggggggggggg";
    static final String NO_TENANT = "nfk_no-tenant-hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh";

    private final FakeControlApi controlApi = FakeControlApiResource.shared();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    message += " " + parameter;
                }
            }
            logged.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture_logs() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop_capturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void an_api_token_is_checked_with_control_api_once_and_then_taken_from_the_cache() {
        controlApi.tenantToken(TOKEN, "acme", "read");

        given().header("Authorization", "Bearer " + TOKEN).get("/v1/usage").then().statusCode(200)
                .body("tenant", equalTo("acme"));
        given().header("Authorization", "bearer " + TOKEN).get("/v1/invoices").then().statusCode(200);

        assertThat(controlApi.calls(TOKEN)).isEqualTo(1);
    }

    @Test
    void a_token_control_api_refuses_gets_a_401_saying_why() {
        controlApi.tenantToken(REVOKED, "acme", "read");
        controlApi.revoke(REVOKED);

        given().header("Authorization", "Bearer " + REVOKED).get("/v1/usage").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"))
                .body("detail", equalTo("the API token is revoked"));
        given().header("Authorization", "Bearer nfk_never-issued").get("/v1/usage").then().statusCode(401)
                .body("detail", equalTo("the API token is unknown"));
    }

    @Test
    void a_broken_control_api_gives_a_503_problem_to_retry_and_the_token_never_reaches_the_log() {
        controlApi.failFor(BROKEN);

        given().header("Authorization", "Bearer " + BROKEN).get("/v1/invoices").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", "5")
                .body("type", equalTo("urn:nanofleet:problem:identity-unavailable"));
        given().header("Authorization", "Bearer " + BROKEN).get("/v1/invoices").then().statusCode(503);

        assertThat(controlApi.calls(BROKEN)).as("a failure is not cached").isEqualTo(2);
        assertThat(logged).anyMatch(line -> line.contains("answered %d") || line.contains("answered 500"));
        assertThat(logged).noneMatch(line -> line.contains(BROKEN) || line.contains("nfk_"));
    }

    @Test
    void a_token_of_no_tenant_and_no_operator_is_refused_tenant_data() {
        controlApi.answer(NO_TENANT, "{\"subject\":\"token:x\",\"kind\":\"token\",\"tenant\":null,\"operator\":false,"
                + "\"scopes\":[\"read\"],\"expiresAt\":null,\"tokenId\":null}");
        given().header("Authorization", "Bearer " + NO_TENANT).get("/v1/usage").then().statusCode(403)
                .body("detail", startsWith("the token names no tenant"));
    }
}
