package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What automation leans on: paged, filtered lists; Idempotency-Key on create; If-Match with ETags on change. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class ListIdempotencyETagIT {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void pages_follow_the_cursor_newest_first_without_gaps_or_repeats_and_hide_deleted_unless_asked() {
        String token = TenantFixture.create("trusted", null).firstSignIn().token();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(0, create(token, "page-" + i, null).then().statusCode(201).extract().path("id"));
        }
        String deleted = created.get(3);
        given().auth().oauth2(token).delete("/v1/deployments/" + deleted).then().statusCode(202);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().auth().oauth2(token).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/v1/deployments");
            page.then().statusCode(200);
            seen.addAll(page.jsonPath().getList("id"));
            cursor = page.header("Nanofleet-Next-Cursor");
            if (cursor != null) {
                assertThat(page.header("Link")).contains("cursor=" + cursor).endsWith("rel=\"next\"");
            }
            pages++;
        } while (cursor != null && pages < 10);
        List<String> live = new ArrayList<>(created);
        live.remove(deleted);
        assertThat(seen).containsExactlyElementsOf(live);
        assertThat(pages).isEqualTo(3);

        given().auth().oauth2(token).queryParam("state", "deleted").get("/v1/deployments").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(deleted));
        assertThat(given().auth().oauth2(token).queryParam("state", "all").get("/v1/deployments").jsonPath()
                .getList("id")).hasSize(7);
        given().auth().oauth2(token).queryParam("name", "page-6").get("/v1/deployments").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.contains("page-6-x"));
        given().auth().oauth2(token).queryParam("name", "page_").get("/v1/deployments").then().statusCode(200)
                .body("size()", equalTo(0)); // "_" is a character, not a wildcard
        given().auth().oauth2(token).queryParam("limit", 0).queryParam("cursor", "x!").queryParam("state", "gone")
                .get("/v1/deployments").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("limit", "cursor", "state"));
    }

    @Test
    void a_retried_create_with_the_same_key_answers_the_first_and_a_reused_key_with_another_body_is_refused() {
        String token = TenantFixture.create("trusted", null).firstSignIn().token();
        String key = UUID.randomUUID().toString();
        Response first = create(token, "idem", key);
        first.then().statusCode(201).header("Idempotent-Replayed", "false");
        Response again = create(token, "idem", key);
        again.then().statusCode(201).header("Idempotent-Replayed", "true")
                .header("Location", equalTo(first.header("Location")));
        assertThat(again.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
        assertThat(given().auth().oauth2(token).get("/v1/deployments").jsonPath().getList("id")).hasSize(1);

        create(token, "other-name", key).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:idempotency-key-reused"));
        create(token, "bad-key", "with space").then().statusCode(400).body("errors[0].field",
                equalTo("Idempotency-Key"));
        // without a key, the same body is a second create (and here, a taken name)
        create(token, "idem", null).then().statusCode(409);
    }

    @Test
    void parallel_creates_with_one_key_make_one_deployment() throws Exception {
        String token = TenantFixture.create("trusted", null).firstSignIn().token();
        String key = UUID.randomUUID().toString();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<String>> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                ids.add(pool.submit(() -> {
                    start.await();
                    Response r = create(token, "race", key);
                    r.then().statusCode(201);
                    return r.jsonPath().getString("id");
                }));
            }
            start.countDown();
            List<String> answered = new ArrayList<>();
            for (Future<String> id : ids) {
                answered.add(id.get());
            }
            assertThat(answered).containsOnly(answered.getFirst());
        } finally {
            pool.shutdownNow();
        }
        assertThat(given().auth().oauth2(token).get("/v1/deployments").jsonPath().getList("id")).hasSize(1);
    }

    @Test
    void a_change_under_a_stale_etag_is_refused_and_under_the_current_one_applies() {
        String token = TenantFixture.create("trusted", null).firstSignIn().token();
        String id = create(token, "etag", null).then().statusCode(201).extract().path("id");
        String etag = given().auth().oauth2(token).get("/v1/deployments/" + id).then().statusCode(200).extract()
                .header("ETag");
        assertThat(etag).matches("\"\\d+\"");

        String next = given().auth().oauth2(token).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"replicas\": 3}").patch("/v1/deployments/" + id).then().statusCode(200)
                .body("replicas", equalTo(3)).extract().header("ETag");
        assertThat(next).isNotEqualTo(etag);
        given().auth().oauth2(token).header("If-Match", etag).contentType(ContentType.JSON).body("{\"replicas\": 1}")
                .patch("/v1/deployments/" + id).then().statusCode(412).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:precondition-failed"))
                .body("detail", containsString(next));
        given().auth().oauth2(token).get("/v1/deployments/" + id).then().body("replicas", equalTo(3))
                .header("ETag", next);
    }

    @Test
    void a_change_waits_for_a_deletion_in_flight_and_then_finds_the_deployment_deleted() throws Exception {
        String token = TenantFixture.create("trusted", null).firstSignIn().token();
        String id = create(token, "inflight", null).then().statusCode(201).extract().path("id");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection deletion = dataSource.getConnection()) {
            // a deletion that holds the deployment's row and has not committed yet
            deletion.setAutoCommit(false);
            try (PreparedStatement lock = deletion.prepareStatement(
                    "UPDATE deployment SET deleted_at = now(), version = version + 1 WHERE id = ?::uuid")) {
                lock.setString(1, id);
                assertThat(lock.executeUpdate()).isEqualTo(1);
            }
            // the same count again: a change that, read unlocked, would touch only instance rows
            Future<Response> scale = pool.submit(() -> given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body("{\"replicas\": 2}").patch("/v1/deployments/" + id));
            Await.until(Duration.ofSeconds(30), "the change waiting on the deployment's row lock",
                    () -> waitingOnLocks() > 0);
            assertThat(scale).isNotDone();

            deletion.commit();

            scale.get(30, TimeUnit.SECONDS).then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("deleted"));
        } finally {
            pool.shutdownNow();
        }
    }

    private long waitingOnLocks() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND query ILIKE '%deployment%'");
                ResultSet rows = s.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Response create(String token, String name, String key) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON).body(body(name + "-x"));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/v1/deployments");
    }
}
