package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The web portal and operator dashboard call the API from their own origin (web-ui, port 8085): browsers ask first
 * (preflight) and read only what the answer allows. Against real PostgreSQL, Kafka and Keycloak.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class CorsIT {

    private static final List<String> PORTAL = List.of("http://127.0.0.1:8085", "http://localhost:8085");
    private static final String ELSEWHERE = "http://evil.example:8085";
    private static final List<String> REQUEST_HEADERS = List.of("authorization", "content-type", "if-match",
            "idempotency-key", "last-event-id");
    private static final List<String> EXPOSED = List.of("location", "link", "etag", "retry-after",
            "nanofleet-next-cursor", "idempotent-replayed", "www-authenticate");

    @Test
    void a_preflight_from_the_portal_is_allowed_with_the_methods_and_headers_the_api_reads() {
        for (String origin : PORTAL) {
            for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                ExtractableResponse<Response> answer = preflight(origin, method,
                        "/v1/deployments/" + UUID.randomUUID());
                assertThat(answer.statusCode()).as(origin + " " + method).isEqualTo(200);
                assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(origin);
                assertThat(names(answer.header("Access-Control-Allow-Methods"))).contains(method.toLowerCase(
                        Locale.ROOT));
                assertThat(names(answer.header("Access-Control-Allow-Headers"))).containsAll(REQUEST_HEADERS);
                // bearer tokens, no cookies: the browser sends no credentials
                assertThat(answer.header("Access-Control-Allow-Credentials")).isNotEqualTo("true");
            }
        }
    }

    @Test
    void a_preflight_from_another_origin_is_not_allowed() {
        ExtractableResponse<Response> answer = preflight(ELSEWHERE, "POST", "/v1/deployments");
        assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight("http://127.0.0.1:8086", "GET", "/v1/nodes").header("Access-Control-Allow-Origin"))
                .isNull();
    }

    @Test
    void an_answer_to_the_portal_names_its_origin_and_exposes_the_headers_a_client_reads() {
        for (String origin : PORTAL) {
            ExtractableResponse<Response> answer = given().auth().oauth2(Tokens.user("bob")).header("Origin", origin)
                    .get("/v1/deployments?limit=1").then().statusCode(200).extract();
            assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(origin);
            assertThat(names(answer.header("Access-Control-Expose-Headers"))).containsAll(EXPOSED);
        }
        // an error answer too, so the page can read the problem (here: no token)
        given().header("Origin", PORTAL.get(0)).get("/v1/deployments").then().statusCode(401)
                .header("Access-Control-Allow-Origin", equalTo(PORTAL.get(0)))
                .contentType(containsString("application/problem+json"));
    }

    @Test
    void a_request_from_another_origin_is_refused_without_cors_headers_even_with_a_valid_token() {
        // Quarkus' CORS filter checks the Origin of every request, not only preflights: a page elsewhere that got
        // hold of a token can neither read an answer nor cause a change (its body is empty, not a problem)
        for (String method : List.of("GET", "DELETE")) {
            given().auth().oauth2(Tokens.user("bob")).header("Origin", ELSEWHERE)
                    .request(method, "/v1/deployments/" + UUID.randomUUID()).then().statusCode(403)
                    .header("Access-Control-Allow-Origin", nullValue());
        }
    }

    @Test
    void requests_without_an_origin_and_from_the_apis_own_origin_are_not_cross_origin() {
        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments?limit=1").then().statusCode(200);
        // the API reference page (/q/swagger-ui) calls the API from the API's own origin
        given().auth().oauth2(Tokens.user("bob")).header("Origin", "http://localhost:" + RestAssured.port)
                .get("/v1/deployments?limit=1").then().statusCode(200);
    }

    @Test
    void the_followed_event_stream_answers_the_portal_with_its_origin() throws Exception {
        HttpRequest request = HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/v1/events?follow=true"))
                .header("Authorization", "Bearer " + Tokens.user("ops")).header("Accept", "text/event-stream")
                .header("Origin", PORTAL.get(0)).header("Last-Event-ID", "0").build();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // the headers come before the first event; the stream then stays open, so only they are read
        HttpResponse<InputStream> stream = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(stream.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PORTAL.get(0));
        }
    }

    private static ExtractableResponse<Response> preflight(String origin, String method, String path) {
        return given().header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", String.join(",", REQUEST_HEADERS)).options(path).then()
                .extract();
    }

    /** A comma-separated header value as lower-case names. */
    private static List<String> names(String header) {
        return header == null
                ? List.of()
                : Arrays.stream(header.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
    }
}
