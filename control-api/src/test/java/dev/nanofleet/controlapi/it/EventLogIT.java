package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.nanofleet.controlapi.eventlog.EventLogIngest;
import dev.nanofleet.controlapi.eventlog.EventLogStore;
import dev.nanofleet.controlapi.eventlog.LoggedTypes;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeHeartbeat;
import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.events.NodeSchedulingChanged;
import dev.nanofleet.messaging.ConsumerSettings;
import dev.nanofleet.messaging.DeadLetters;
import dev.nanofleet.messaging.EventConsumer;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * GET /v1/events against real PostgreSQL, Kafka and Keycloak: events travel outbox -> Kafka -> the event log's
 * consumer -> PostgreSQL -> the API, and the scheduler's events are published to Kafka as it would.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class EventLogIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventLogIngest ingest;

    @Inject
    EventLogStore store;

    @Test
    void a_tenants_events_are_listed_oldest_first_with_filters_and_pages() {
        String token = Tokens.user("bob");
        String first = create(token, uniqueName("evlog"));
        String second = create(token, uniqueName("evlog"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"replicas\": 3}")
                .patch("/v1/deployments/" + first).then().statusCode(200);
        given().auth().oauth2(token).delete("/v1/deployments/" + second).then().statusCode(202);
        // other types (rollouts' progress) come and go with the deployment's lifecycle: these are the ones looked at
        String types = "&type=deployment.created,deployment.scaled,instance.placed";
        awaitEvents(token, "deployment=" + first + types, 2); // the scheduler answers what it has read
        // the scheduler's events name no tenant: the log finds it from the deployment
        String instance = given().auth().oauth2(token).get("/v1/deployments/" + first).then().extract()
                .path("instances[0].id");
        SchedulerStandIn.publish(null, instance,
                new InstancePlaced(UUID.fromString(instance), UUID.fromString(first), "evlog-node", Isolation.SHARED));

        List<Map<String, Object>> firsts = awaitEvents(token, "deployment=" + first + types, 3);
        assertThat(firsts).extracting(e -> e.get("type")).containsExactly("deployment.created",
                "deployment.scaled", "instance.placed");
        Map<String, Object> created = firsts.get(0);
        assertThat(created.get("tenant")).isEqualTo("globex");
        assertThat(created.get("deploymentId")).isEqualTo(first);
        assertThat(created.get("instanceId")).isNull();
        assertThat(created.get("actor")).isEqualTo("user:bob");
        assertThat((String) created.get("eventId")).isNotBlank();
        assertThat(((Map<?, ?>) created.get("data")).get("isolation")).isEqualTo("shared");
        assertThat(((Map<?, ?>) created.get("data")).get("tenantTrust")).isEqualTo("trusted");
        Map<String, Object> placed = firsts.get(2);
        assertThat(placed.get("tenant")).isEqualTo("globex");
        assertThat(placed.get("instanceId")).isEqualTo(instance);
        assertThat(placed.get("actor")).isNull();
        assertThat(Long.parseLong((String) placed.get("id"))).isGreaterThan(Long.parseLong((String) created.get("id")));

        List<Map<String, Object>> seconds = awaitEvents(token,
                "deployment=" + second + "&type=deployment.created,deployment.deleted", 2);
        assertThat(seconds).extracting(e -> e.get("type")).containsExactly("deployment.created",
                "deployment.deleted");
        given().auth().oauth2(token).queryParam("deployment", first).queryParam("type", "deployment.scaled")
                .get("/v1/events").then().statusCode(200).body("type", equalTo(List.of("deployment.scaled")))
                .body("[0].data.replicas", equalTo(3));
        given().auth().oauth2(token).queryParam("deployment", first)
                .queryParam("type", "deployment.created,instance.placed").get("/v1/events").then().statusCode(200)
                .body("type", equalTo(List.of("deployment.created", "instance.placed")));
        given().auth().oauth2(token).queryParam("deployment", first)
                .queryParam("since", Instant.now().plusSeconds(3600).toString()).get("/v1/events").then()
                .statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(token).queryParam("deployment", first)
                .queryParam("type", "deployment.created,deployment.scaled,instance.placed")
                .queryParam("since", created.get("time").toString()).get("/v1/events").then().statusCode(200)
                .body("$", hasSize(3));
        // after= continues after an id
        given().auth().oauth2(token).queryParam("deployment", first).queryParam("after", created.get("id"))
                .queryParam("type", "deployment.created,deployment.scaled,instance.placed").get("/v1/events").then()
                .statusCode(200)
                .body("type", equalTo(List.of("deployment.scaled", "instance.placed")));

        // pages of one follow the cursor without gaps or repeats
        List<Object> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().auth().oauth2(token).queryParam("deployment", first)
                    .queryParam("type", "deployment.created,deployment.scaled,instance.placed").queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/v1/events");
            page.then().statusCode(200);
            paged.addAll(page.jsonPath().getList("id"));
            cursor = page.header("Nanofleet-Next-Cursor");
            if (cursor != null) {
                assertThat(page.header("Link")).contains("cursor=" + cursor).endsWith("rel=\"next\"");
            }
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(paged).isEqualTo(firsts.stream().map(e -> e.get("id")).toList());
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void a_tenant_never_sees_another_tenants_events_and_operators_see_all_with_the_nodes() {
        String bobs = create(Tokens.user("bob"), uniqueName("evlog"));
        String alices = create(Tokens.user("alice"), uniqueName("evlog"));
        Event<NodeSchedulingChanged> cordoned = SchedulerStandIn.publish(null, "evlog-node",
                new NodeSchedulingChanged("evlog-node", NodeScheduling.CORDONED));
        Event<NodeHeartbeat> heartbeat = SchedulerStandIn.publish(null, "evlog-node",
                new NodeHeartbeat("evlog-node"));
        awaitEvents(Tokens.user("bob"), "deployment=" + bobs, 1);
        awaitEvents(Tokens.user("alice"), "deployment=" + alices, 1);

        // another tenant's deployment answers as an unknown one: an empty page, so ids cannot be probed
        given().auth().oauth2(Tokens.user("alice")).queryParam("deployment", bobs).get("/v1/events").then()
                .statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(Tokens.user("alice")).queryParam("deployment", UUID.randomUUID().toString())
                .get("/v1/events").then().statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(Tokens.user("alice")).queryParam("tenant", "globex").get("/v1/events").then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("alice")).queryParam("tenant", "acme").queryParam("deployment", alices)
                .queryParam("type", "deployment.created").get("/v1/events").then().statusCode(200)
                .body("$", hasSize(1));
        assertThat(allPages(Tokens.user("alice"), "")).extracting(e -> e.get("tenant")).containsOnly("acme");

        Await.untilAsserted(DEADLINE, "operators see the node event", () -> assertThat(
                allPages(Tokens.user("ops"), "type=node.scheduling-changed")).extracting(e -> e.get("eventId"))
                .contains(cordoned.id().toString()));
        List<Map<String, Object>> everything = allPages(Tokens.user("ops"), "");
        assertThat(everything).extracting(e -> e.get("deploymentId")).contains(bobs, alices);
        assertThat(everything).extracting(e -> e.get("eventId")).doesNotContain(heartbeat.id().toString());
        assertThat(everything).extracting(e -> e.get("type")).doesNotContain("node.heartbeat",
                "instance.usage-sampled");
        Map<String, Object> node = everything.stream().filter(e -> cordoned.id().toString().equals(e.get("eventId")))
                .findFirst().orElseThrow();
        assertThat(node.get("tenant")).isNull();
        assertThat(((Map<?, ?>) node.get("data")).get("scheduling")).isEqualTo("cordoned");
        assertThat(allPages(Tokens.user("ops"), "tenant=acme")).extracting(e -> e.get("tenant"))
                .containsOnly("acme");
        assertThat(allPages(Tokens.user("bob"), "")).extracting(e -> e.get("eventId"))
                .doesNotContain(cordoned.id().toString());
    }

    @Test
    void the_follow_stream_resumes_after_a_dropped_connection_with_nothing_lost_or_repeated() throws Exception {
        String token = Tokens.user("bob");
        String deployment = create(token, uniqueName("follow"));
        String instance = given().auth().oauth2(token).get("/v1/deployments/" + deployment).then().extract()
                .path("instances[0].id");
        int burst = 60;
        // other types (rollouts' progress) come and go with the deployment's lifecycle: these are the ones counted
        String only = "&type=deployment.created,instance.unschedulable";
        List<String> received = new ArrayList<>();
        try (SseClient stream = SseClient.open(token, "deployment=" + deployment + only, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            received.addAll(ids(stream.take(1, DEADLINE))); // deployment.created
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < burst; i++) {
                    SchedulerStandIn.publish("globex", instance, new InstanceUnschedulable(UUID.fromString(instance),
                            UUID.fromString(deployment), "burst " + i));
                }
            });
            received.addAll(ids(stream.take(15, DEADLINE)));
            stream.close(); // dropped mid-burst
            publishing.get();
        }
        try (SseClient resumed = SseClient.open(token, "deployment=" + deployment + only, received.getLast())) {
            assertThat(resumed.status()).isEqualTo(200);
            received.addAll(ids(resumed.take(burst + 1 - received.size(), DEADLINE)));
            assertThat(resumed.next(Duration.ofMillis(500))).as("nothing after the burst").isNull();
        }
        List<Object> listed = allPages(token, "deployment=" + deployment + only).stream().map(e -> e.get("id"))
                .toList();
        assertThat(listed).hasSize(burst + 1);
        assertThat(received).isEqualTo(listed);
        assertThat(new LinkedHashSet<>(received)).hasSize(burst + 1);

        // ?after= resumes as Last-Event-ID does
        try (SseClient after = SseClient.open(token,
                "deployment=" + deployment + only + "&after=" + listed.get(burst - 1),
                null)) {
            assertThat(ids(after.take(1, DEADLINE))).containsExactly((String) listed.get(burst));
        }
    }

    @Test
    void replaying_the_topics_into_an_emptied_log_yields_the_same_rows_and_changes_nothing_else() throws Exception {
        TenantFixture tenant = TenantFixture.create("trusted", null).firstSignIn();
        String token = tenant.token();
        String deployment = create(token, uniqueName("replay"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"replicas\": 2}")
                .patch("/v1/deployments/" + deployment).then().statusCode(200);
        given().auth().oauth2(token).delete("/v1/deployments/" + deployment).then().statusCode(202);
        awaitEvents(token, "type=deployment.deleted", 1);
        List<List<Object>> before = rows(tenant.id());
        Instant replayStart = Instant.now();

        execute("DELETE FROM event_log WHERE tenant = ?", tenant.id());
        assertThat(rows(tenant.id())).isEmpty();
        // a fresh consumer group replays every topic from the start, as resetting the group's offsets would
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        String group = "eventlog-replay-" + UUID.randomUUID();
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, group);
                EventConsumer replay = new EventConsumer(group, () -> KafkaClients.consumer(bootstrap, group),
                        LoggedTypes.TOPICS, ingest::handle, new DeadLetters(producer, group),
                        ConsumerSettings.defaults())) {
            replay.start();
            Await.until(DEADLINE, "the replay restored the tenant's events",
                    () -> rows(tenant.id()).containsAll(before));
        }
        // the same rows in the same order (an event of the tenant that came later, such as a rollout's end, may follow)
        List<List<Object>> after = rows(tenant.id());
        assertThat(after.stream().filter(before::contains).toList()).isEqualTo(before);
        // what the log held already was not stored again (events the live consumer stores meanwhile are new ones)
        assertThat(count(tenant.id(), replayStart, replayStart.minusSeconds(10)))
                .as("old events stored again by the replay").isZero();
    }

    @Test
    void a_quota_refusal_is_an_event_although_the_refused_request_rolled_back() {
        TenantFixture tenant = TenantFixture.create("untrusted", "{\"hardware\": {\"instances\": 1}}").firstSignIn();
        String token = tenant.token();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body(uniqueName("big")))
                .post("/v1/deployments").then().statusCode(422)
                .body("type", equalTo("urn:nanofleet:problem:quota-exceeded"));
        Map<String, Object> refused = awaitEvents(token, "type=tenant.quota-refused", 1).getFirst();
        assertThat(refused.get("tenant")).isEqualTo(tenant.id());
        assertThat(refused.get("actor")).isEqualTo("user:" + tenant.username());
        Map<?, ?> data = (Map<?, ?>) refused.get("data");
        assertThat(data.get("quota")).isEqualTo("hardware.instances");
        assertThat(data.get("limit")).isEqualTo(1);
        assertThat(data.get("used")).isEqualTo(0);
        assertThat(data.get("requested")).isEqualTo(2);
        // nothing of the refused deployment was kept
        given().auth().oauth2(token).get("/v1/deployments").then().statusCode(200).body("$", hasSize(0));
        assertThat(allPages(token, "")).extracting(e -> e.get("type")).containsExactly("tenant.quota-refused");
    }

    @Test
    void events_past_the_retention_are_purged_and_not_stored_again_by_a_replay() throws Exception {
        String deployment = create(Tokens.user("bob"), uniqueName("purge"));
        awaitEvents(Tokens.user("bob"), "deployment=" + deployment, 1);
        Instant old = Instant.now().minus(Duration.ofDays(31));
        UUID oldId = UUID.randomUUID();
        execute("""
                INSERT INTO event_log (event_id, type, time, tenant, data)
                VALUES ('%s', 'tenant.quota-refused', '%s', ?, '{}')""".formatted(oldId, old), "globex");

        assertThat(store.purge(Instant.now().minus(Duration.ofDays(30)))).isGreaterThanOrEqualTo(1);
        assertThat(allPages(Tokens.user("bob"), "")).extracting(e -> e.get("eventId"))
                .doesNotContain(oldId.toString());
        assertThat(allPages(Tokens.user("bob"), "deployment=" + deployment + "&type=deployment.created")).hasSize(1);

        // an event that old coming back from the topics (a replay) is not stored again
        ingest.handle(new Event<>(UUID.randomUUID(), "test", old, "globex", "globex",
                null, new dev.nanofleet.events.QuotaRefused("globex", "shared.instances", 1, 1, 1, "old")));
        assertThat(count("no tenant", Instant.EPOCH, Instant.now().minus(Duration.ofDays(30))))
                .as("events older than the retention").isZero();
    }

    @Test
    void every_bad_parameter_is_a_problem_naming_it() {
        String token = Tokens.user("bob");
        bad(token, Map.of("type", "deployment.exploded"), "type");
        bad(token, Map.of("type", "node.heartbeat"), "type");
        bad(token, Map.of("type", "deployment.created,"), "type");
        bad(token, Map.of("deployment", "not-a-uuid"), "deployment");
        bad(token, Map.of("since", "yesterday"), "since");
        bad(token, Map.of("since", "2026-12-01T10:00:00"), "since");
        bad(token, Map.of("cursor", "bm9wZQ"), "cursor");
        bad(token, Map.of("cursor", "%%%"), "cursor");
        bad(token, Map.of("after", "-1"), "after");
        bad(token, Map.of("after", "x"), "after");
        bad(token, Map.of("after", "1", "cursor", "ZS4x"), "cursor");
        bad(token, Map.of("limit", "0"), "limit");
        bad(token, Map.of("limit", "501"), "limit");
        bad(token, Map.of("limit", "many"), "limit");
        bad(token, Map.of("follow", "maybe"), "follow");
        bad(token, Map.of("type", "x".repeat(3000)), "type");
        bad(token, Map.of("type", "deployment.created\u0000"), "type");
        bad(token, Map.of("after", "99999999999999999999"), "after");
        bad(token, Map.of("since", "2026-13-01T10:00:00Z"), "since");
        bad(Tokens.user("ops"), Map.of("tenant", "Not A Tenant"), "tenant");
        given().auth().oauth2(token).header("Last-Event-ID", "abc").queryParam("follow", "true").get("/v1/events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("Last-Event-ID"));
        given().get("/v1/events").then().statusCode(401);
        given().auth().oauth2(Tokens.node("test-a")).get("/v1/events").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(token).queryParam("tenant", "acme").get("/v1/events").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("operators"));
    }

    @Test
    void delivery_latency_from_commit_to_a_follower_is_measured() throws Exception {
        String token = Tokens.user("bob");
        String deployment = create(token, uniqueName("latency"));
        int samples = 100;
        List<Long> fromResponse = new ArrayList<>();
        List<Long> fromEventTime = new ArrayList<>();
        try (SseClient stream = SseClient.open(token, "deployment=" + deployment + "&type=deployment.scaled", null)) {
            assertThat(stream.status()).isEqualTo(200);
            for (int i = 0; i < samples; i++) {
                given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body("{\"replicas\": " + (i % 2 == 0 ? 2 : 1) + "}").patch("/v1/deployments/" + deployment)
                        .then().statusCode(200);
                // the transaction committed before the answer was sent: this bound is at most the true latency
                long answered = System.nanoTime();
                Instant answeredAt = Instant.now();
                SseClient.Received event = stream.take(1, DEADLINE).getFirst();
                fromResponse.add(Math.max(0, event.receivedNanos() - answered));
                // the event's time was taken before the commit: this bound is at least the true latency
                Instant stamped = Instant.parse(JsonPath.from(event.data()).getString("time"));
                long lag = Duration.between(stamped, answeredAt).toNanos()
                        + Math.max(0, event.receivedNanos() - answered);
                fromEventTime.add(lag);
            }
        }
        System.out.printf("eventlog.sse.latency samples=%d commit_lower_bound_p50_ms=%.1f "
                + "commit_lower_bound_p99_ms=%.1f event_time_upper_bound_p50_ms=%.1f "
                + "event_time_upper_bound_p99_ms=%.1f%n", samples, percentile(fromResponse, 50),
                percentile(fromResponse, 99), percentile(fromEventTime, 50), percentile(fromEventTime, 99));
        assertThat(percentile(fromEventTime, 50)).isLessThan(5000);
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1_000_000.0;
    }

    private static void bad(String token, Map<String, String> query, String field) {
        given().auth().oauth2(token).queryParams(query).get("/v1/events").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:nanofleet:problem:validation"))
                .body("errors[0].field", equalTo(field));
    }

    private static String create(String token, String name) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(body(name).replace("\"replicas\": 2", "\"replicas\": 1")).post("/v1/deployments").then()
                .statusCode(201).extract().path("id");
    }

    private static List<String> ids(List<SseClient.Received> events) {
        return events.stream().map(SseClient.Received::id).toList();
    }

    /** Waits until the query lists at least {@code count} events, and returns them all. */
    private static List<Map<String, Object>> awaitEvents(String token, String query, int count) {
        return Await.value(DEADLINE, count + " events for " + query, () -> {
            List<Map<String, Object>> events = allPages(token, query);
            return events.size() >= count ? events : null;
        });
    }

    private static List<Map<String, Object>> allPages(String token, String query) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            String url = "/v1/events?limit=500" + (query.isEmpty() ? "" : "&" + query)
                    + (cursor == null ? "" : "&cursor=" + cursor);
            Response page = given().auth().oauth2(token).urlEncodingEnabled(false).get(url);
            page.then().statusCode(200);
            all.addAll(page.jsonPath().getList("$"));
            cursor = page.header("Nanofleet-Next-Cursor");
        } while (cursor != null);
        return all;
    }

    private List<List<Object>> rows(String tenant) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        SELECT event_id, type, time, tenant, deployment_id, instance_id, actor, data::text
                        FROM event_log WHERE tenant = ? ORDER BY seq""")) {
            q.setString(1, tenant);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= 8; i++) {
                        row.add(r.getObject(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** Events of others than {@code tenant} stored from {@code storedFrom} on that happened before. */
    private long count(String tenant, Instant storedFrom, Instant happenedBefore) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        SELECT count(*) FROM event_log
                        WHERE tenant IS DISTINCT FROM ? AND stored_at >= ? AND time < ?""")) {
            q.setString(1, tenant);
            q.setTimestamp(2, java.sql.Timestamp.from(storedFrom));
            q.setTimestamp(3, java.sql.Timestamp.from(happenedBefore));
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private void execute(String sql, String arg) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, arg);
            q.executeUpdate();
        }
    }
}
