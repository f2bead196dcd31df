package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** API tokens for automation, against real PostgreSQL, Kafka and Keycloak. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class ApiTokenIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_deploy_token_deploys_its_events_name_the_token_and_revocation_stops_it_on_the_next_request()
            throws Exception {
        var created = createToken(Tokens.user("bob"), "{\"name\": \"ci\", \"scopes\": [\"read\", \"deploy\"]}")
                .statusCode(201).header("Location", containsString("/v1/tokens/"))
                .body("secret", matchesPattern("nfk_[A-Za-z0-9_-]{43}")).body("tenant", equalTo("globex"))
                .body("operator", equalTo(false)).body("scopes", contains("read", "deploy"))
                .body("createdBy", equalTo("user:bob")).body("lastUsedAt", nullValue()).extract();
        String secret = created.path("secret");
        String tokenId = created.path("id");
        Instant expires = Instant.parse(created.path("expiresAt"));
        assertThat(Duration.between(Instant.now(), expires).toDays()).isBetween(89L, 90L);

        // only the hash is stored
        try (Connection c = dataSource.getConnection();
                ResultSet rows = c.createStatement().executeQuery(
                        "SELECT secret_sha256 FROM api_token WHERE id = '" + tokenId + "'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).hasSize(64).doesNotContain(secret.substring(4));
        }

        given().auth().oauth2(secret).get("/v1/me").then().statusCode(200).body("kind", equalTo("token"))
                .body("subject", equalTo("token:" + tokenId)).body("tenant", equalTo("globex"))
                .body("scopes", contains("read", "deploy")).body("tokenId", equalTo(tokenId));
        String deployment = given().auth().oauth2(secret).contentType(ContentType.JSON).body(body(uniqueName("tok")))
                .post("/v1/deployments").then().statusCode(201).extract().path("id");
        given().auth().oauth2(secret).get("/v1/deployments/" + deployment).then().statusCode(200);

        Event<?> event = awaitCreated(deployment);
        assertThat(event.actor()).isEqualTo("token:" + tokenId);
        assertThat(event.tenant()).isEqualTo("globex");

        given().auth().oauth2(Tokens.user("bob")).get("/v1/tokens").then().statusCode(200)
                .body("find { it.id == '" + tokenId + "' }.lastUsedAt", notNullValue())
                .body("find { it.id == '" + tokenId + "' }.secret", nullValue())
                .body("find { it.id == '" + tokenId + "' }.name", equalTo("ci"));

        given().auth().oauth2(Tokens.user("bob")).delete("/v1/tokens/" + tokenId).then().statusCode(204);
        given().auth().oauth2(secret).get("/v1/deployments").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("was revoked"))
                .header("WWW-Authenticate", containsString("invalid_token"));
        given().auth().oauth2(Tokens.user("bob")).get("/v1/tokens").then().statusCode(200)
                .body("id", not(hasItem(tokenId)));
        // revoking again changes nothing
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/tokens/" + tokenId).then().statusCode(204);
    }

    @Test
    void a_token_does_only_what_its_scopes_allow_and_never_more_than_its_creator() {
        String reader = secret(Tokens.user("bob"), "{\"name\": \"reader\", \"scopes\": [\"read\"]}");
        given().auth().oauth2(reader).get("/v1/deployments").then().statusCode(200);
        given().auth().oauth2(reader).contentType(ContentType.JSON).body(body(uniqueName("ro"))).post("/v1/deployments")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("'deploy'"));
        // managing tokens needs admin
        createToken(reader, "{\"name\": \"more\", \"scopes\": [\"read\"]}").statusCode(403)
                .body("detail", containsString("'admin'"));
        given().auth().oauth2(reader).get("/v1/tokens").then().statusCode(403);

        // an admin token cannot mint a scope it lacks, nor outlive itself
        String admin = secret(Tokens.user("bob"),
                "{\"name\": \"admin\", \"scopes\": [\"read\", \"admin\"], \"expiresInDays\": 7}");
        createToken(admin, "{\"name\": \"escalate\", \"scopes\": [\"read\", \"deploy\"]}").statusCode(400)
                .body("errors.field", contains("scopes[1]")).body("errors[0].message", containsString("creator"));
        createToken(admin, "{\"name\": \"longer\", \"scopes\": [\"read\"], \"expiresInDays\": 30}").statusCode(400)
                .body("errors.field", contains("expiresInDays"));
        var child = createToken(admin, "{\"name\": \"child\", \"scopes\": [\"read\"]}").statusCode(201)
                .body("createdBy", matchesPattern("token:[0-9a-f-]{36}")).extract();
        assertThat(Instant.parse(child.path("expiresAt"))).isBefore(Instant.now().plus(Duration.ofDays(8)));
    }

    @Test
    void bad_token_requests_name_their_fields() {
        String bob = Tokens.user("bob");
        createToken(bob, "{\"name\": \"\", \"scopes\": [], \"expiresInDays\": 366}").statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains("name", "scopes", "expiresInDays"));
        createToken(bob, "{\"name\": \"x\", \"scopes\": [\"root\"]}").statusCode(400)
                .body("errors[0].field", containsString("scopes")).body("errors[0].message", containsString("root"));
        createToken(bob, "{\"name\": \"x\", \"scopes\": [\"read\"], \"expiresInDays\": 0}").statusCode(400)
                .body("errors.field", contains("expiresInDays"));
        createToken(bob, "{\"name\": \"x\"}").statusCode(400).body("errors.field", contains("scopes"));
        given().auth().oauth2(bob).delete("/v1/tokens/not-a-uuid").then().statusCode(404);
        given().auth().oauth2(bob).delete("/v1/tokens/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void another_tenants_token_cannot_be_seen_or_revoked_and_an_unknown_or_malformed_secret_is_refused() {
        String tokenId = createToken(Tokens.user("bob"), "{\"name\": \"bobs\", \"scopes\": [\"read\"]}").statusCode(201)
                .extract().path("id");
        given().auth().oauth2(Tokens.user("alice")).delete("/v1/tokens/" + tokenId).then().statusCode(404);
        given().auth().oauth2(Tokens.user("alice")).get("/v1/tokens").then().statusCode(200)
                .body("id", not(hasItem(tokenId)));
        given().auth().oauth2("nfk_" + "A".repeat(43)).get("/v1/deployments").then().statusCode(401)
                .body("detail", containsString("not known"));
        given().auth().oauth2("nfk_short").get("/v1/deployments").then().statusCode(401)
                .body("detail", containsString("malformed"));
    }

    @Test
    void operators_make_operator_tokens_that_see_nodes_but_no_tenants_deployments() {
        var created = createToken(Tokens.user("ops"), "{\"name\": \"fleet-bot\", \"scopes\": [\"read\"]}")
                .statusCode(201).body("operator", equalTo(true)).body("tenant", nullValue()).extract();
        String secret = created.path("secret");
        given().auth().oauth2(secret).get("/v1/nodes").then().statusCode(200);
        given().auth().oauth2(secret).get("/v1/tenants").then().statusCode(200);
        given().auth().oauth2(secret).get("/v1/deployments").then().statusCode(403);
        given().auth().oauth2(secret).post("/v1/nodes/test-a/cordon").then().statusCode(403)
                .body("detail", containsString("'admin'"));
        given().auth().oauth2(Tokens.user("ops")).get("/v1/tokens").then().statusCode(200)
                .body("id", hasItem((String) created.path("id")));
        given().auth().oauth2(Tokens.user("bob")).get("/v1/tokens").then().statusCode(200)
                .body("id", not(hasItem((String) created.path("id"))));
    }

    private static ValidatableResponse createToken(String bearer, String json) {
        return given().auth().oauth2(bearer).contentType(ContentType.JSON).body(json).post("/v1/tokens").then();
    }

    private static String secret(String bearer, String json) {
        return createToken(bearer, json).statusCode(201).extract().path("secret");
    }

    private static Event<?> awaitCreated(String deploymentId) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Consumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "it-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.DEPLOYMENTS));
            return Await.<Event<?>>value(DEADLINE, "deployment.created of " + deploymentId, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Optional<Event<?>> event = EventCodec.decode(record.value());
                    if (deploymentId.equals(record.key()) && event.isPresent()
                            && event.get().data() instanceof DeploymentCreated) {
                        return event.get();
                    }
                }
                return null;
            });
        }
    }
}
