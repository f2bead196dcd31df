package dev.nanofleet.tenantbilling.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceUsageSampled;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.tenantbilling.fakes.FakeControlApiResource;
import dev.nanofleet.tenantbilling.fakes.FakePorts;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.tenantbilling.fakes.Tokens;
import dev.nanofleet.tenantbilling.meter.MeterStore;
import dev.nanofleet.tenantbilling.rating.MeterEvent;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One instance's samples over HTTP, read from the real store (the database runs beside the fakes): the samples are
 * recorded as the consumer records them, and removed after each test, because the ITs with Kafka that run later in the
 * JVM meet the same database, and their finaliser would walk its short periods from these facts' day onwards.
 */
@QuarkusTest
@TestProfile(FakePorts.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@WithTestResource(FakeControlApiResource.class)
class InstanceSamplesApiIT {

    static final Instant T0 = Instant.parse("2026-02-10T12:00:00Z");
    static final String READ_TOKEN = "nfk_samples-read-iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii";
    static final String DEPLOY_TOKEN = "nfk_samples-deploy-jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj";
    static final String OPERATOR_TOKEN = "nfk_samples-operator-kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";
    static final String OPERATOR_NO_READ = "nfk_samples-operator-exec-lllllllllllllllllllllllllllllllllll";

    @Inject
    MeterStore meter;
    @Inject
    DataSource dataSource;

    private final List<UUID> recorded = new ArrayList<>();

    @AfterEach
    void forget_what_was_recorded() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement samples = connection.prepareStatement(
                        "DELETE FROM usage_sample WHERE instance_id = ANY (?)");
                PreparedStatement facts = connection.prepareStatement(
                        "DELETE FROM meter_event WHERE instance_id = ANY (?)")) {
            Array ids = connection.createArrayOf("uuid", recorded.toArray());
            samples.setArray(1, ids);
            samples.executeUpdate();
            facts.setArray(1, ids);
            facts.executeUpdate();
        }
        recorded.clear();
    }

    @Test
    void a_tenant_reads_its_instances_samples_oldest_first_with_the_cpu_rate_between_them() {
        UUID deployment = UUID.randomUUID();
        UUID instance = UUID.randomUUID();
        UUID sibling = UUID.randomUUID();
        // 15 s apart: a quarter core, then half a core, then a restart (the counter starts again)
        sampled("acme", deployment, instance, T0, 1_000_000_000L, 100L << 20);
        sampled("acme", deployment, instance, T0.plusSeconds(15), 4_750_000_000L, 120L << 20);
        sampled("acme", deployment, sibling, T0.plusSeconds(20), 99_000_000_000L, 1);
        sampled("acme", deployment, instance, T0.plusSeconds(30), 12_250_000_000L, 130L << 20);
        sampled("acme", deployment, instance, T0.plusSeconds(45), 500_000_000L, 90L << 20);

        String body = given().header("Authorization", Tokens.bearer("alice"))
                .queryParam("since", "2026-02-10T00:00:00Z")
                .get("/v1/usage/instances/" + instance + "/samples").then().statusCode(200)
                .contentType("application/json").body("instanceId", equalTo(instance.toString()))
                .body("tenant", equalTo("acme")).body("deploymentId", equalTo(deployment.toString()))
                .body("since", equalTo("2026-02-10T00:00:00Z")).body("limit", equalTo(720))
                .body("more", equalTo(false)).body("samples", hasSize(4))
                .body("samples.sampledAt", contains("2026-02-10T12:00:00Z", "2026-02-10T12:00:15Z",
                        "2026-02-10T12:00:30Z", "2026-02-10T12:00:45Z"))
                .body("samples[0].cpuCores", nullValue()).body("samples[3].cpuCores", nullValue())
                .extract().asString();

        // rates are exact plain decimals; the counters are whole numbers
        assertThat(body).contains("{\"sampledAt\":\"2026-02-10T12:00:15Z\",\"cpuNanos\":4750000000,"
                + "\"memoryBytes\":125829120,\"cpuCores\":0.250000}")
                .contains("\"cpuNanos\":12250000000,\"memoryBytes\":136314880,\"cpuCores\":0.500000}");
    }

    @Test
    void since_is_exclusive_and_the_first_sample_after_it_takes_its_rate_from_the_one_before() {
        UUID deployment = UUID.randomUUID();
        UUID instance = UUID.randomUUID();
        sampled("acme", deployment, instance, T0, 0, 1);
        sampled("acme", deployment, instance, T0.plusSeconds(10), 10_000_000_000L, 1);
        sampled("acme", deployment, instance, T0.plusSeconds(20), 15_000_000_000L, 1);

        // polling with the last sampledAt held gives only what is newer, with its rate
        given().header("Authorization", Tokens.bearer("alice")).queryParam("since", "2026-02-10T12:00:10Z")
                .get("/v1/usage/instances/" + instance + "/samples").then().statusCode(200)
                .body("samples.sampledAt", contains("2026-02-10T12:00:20Z"))
                .body("samples[0].cpuCores", equalTo(0.5f));
        given().header("Authorization", Tokens.bearer("alice")).queryParam("since", "2026-02-10T12:00:20Z")
                .get("/v1/usage/instances/" + instance + "/samples").then().statusCode(200)
                .body("samples", hasSize(0)).body("more", equalTo(false));
    }

    @Test
    void the_limit_keeps_the_oldest_and_says_more_are_left() {
        UUID deployment = UUID.randomUUID();
        UUID instance = UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            sampled("acme", deployment, instance, T0.plusSeconds(15L * i), 1_000_000_000L * i, 1);
        }

        given().header("Authorization", Tokens.bearer("alice")).queryParam("since", "2026-02-10T00:00:00Z")
                .queryParam("limit", "2").get("/v1/usage/instances/" + instance + "/samples").then()
                .statusCode(200).body("limit", equalTo(2)).body("more", equalTo(true))
                .body("samples.sampledAt", contains("2026-02-10T12:00:00Z", "2026-02-10T12:00:15Z"));
        given().header("Authorization", Tokens.bearer("alice")).queryParam("since", "2026-02-10T12:00:15Z")
                .queryParam("limit", "3").get("/v1/usage/instances/" + instance + "/samples").then()
                .statusCode(200).body("more", equalTo(false)).body("samples", hasSize(3));
    }

    @Test
    void without_since_the_last_hour_is_read() {
        UUID deployment = UUID.randomUUID();
        UUID instance = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        sampled("acme", deployment, instance, now.minus(2, ChronoUnit.HOURS), 0, 1);
        sampled("acme", deployment, instance, now.minus(30, ChronoUnit.MINUTES), 1_800_000_000_000L, 1);

        String since = given().header("Authorization", Tokens.bearer("alice"))
                .get("/v1/usage/instances/" + instance + "/samples").then().statusCode(200)
                .body("samples", hasSize(1)).body("samples[0].cpuCores", equalTo(0.333333f)).extract()
                .path("since");
        assertThat(Instant.parse(since)).isBetween(now.minus(61, ChronoUnit.MINUTES),
                now.minus(59, ChronoUnit.MINUTES));
    }

    @Test
    void an_instance_placed_or_unschedulable_but_not_yet_sampled_has_no_samples_yet() {
        UUID deployment = UUID.randomUUID();
        UUID placed = UUID.randomUUID();
        UUID unschedulable = UUID.randomUUID();
        UUID stateOnly = UUID.randomUUID();
        recorded.addAll(List.of(placed, unschedulable, stateOnly));
        // facts that bill nothing, but say whose instance it is
        meter.recordAll(List.of(
                new MeterEvent(UUID.randomUUID(), MeterEvent.Kind.PLACED, T0, T0, "acme", deployment, placed,
                        "node-1", null, Isolation.SHARED, null),
                new MeterEvent(UUID.randomUUID(), MeterEvent.Kind.UNSCHEDULABLE, T0, T0, "acme", deployment,
                        unschedulable, null, null, null, null),
                new MeterEvent(UUID.randomUUID(), MeterEvent.Kind.STATE, T0, T0, "acme", deployment, stateOnly,
                        "node-1", InstanceState.PULLING, Isolation.SHARED, new Resources(500, 256))),
                List.of(), List.of());

        for (UUID instance : new UUID[]{placed, unschedulable}) {
            given().header("Authorization", Tokens.bearer("alice"))
                    .get("/v1/usage/instances/" + instance + "/samples").then().statusCode(200)
                    .body("deploymentId", equalTo(deployment.toString())).body("samples", hasSize(0));
            given().header("Authorization", Tokens.bearer("bob")).get("/v1/usage/instances/" + instance + "/samples")
                    .then().statusCode(404);
        }
        // every instance is placed or unschedulable before its node reports on it; one the scheduler never named
        // (only a node's state change, never sampled) is looked for no further
        given().header("Authorization", Tokens.bearer("alice")).get("/v1/usage/instances/" + stateOnly + "/samples")
                .then().statusCode(404);
    }

    @Test
    void another_tenants_instance_an_unknown_one_and_a_malformed_id_are_the_same_404() {
        UUID deployment = UUID.randomUUID();
        UUID instance = UUID.randomUUID();
        placed("globex", deployment, instance);
        sampled("globex", deployment, instance, T0, 0, 1);
        UUID unplaced = UUID.randomUUID();
        sampled("globex", deployment, unplaced, T0, 0, 1);

        for (String id : new String[]{instance.toString(), UUID.randomUUID().toString(), "not-a-uuid",
                instance.toString().toUpperCase().replace('-', '_')}) {
            given().header("Authorization", Tokens.bearer("alice")).get("/v1/usage/instances/" + id + "/samples")
                    .then().statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("urn:nanofleet:problem:not-found"))
                    .body("detail", equalTo("instance " + id + " not found"));
        }
        // its own tenant finds it whether the scheduler's fact about it arrived or only its samples did
        for (UUID own : new UUID[]{instance, unplaced}) {
            given().header("Authorization", Tokens.bearer("bob")).queryParam("since", "2026-02-01T00:00:00Z")
                    .get("/v1/usage/instances/" + own + "/samples").then().statusCode(200)
                    .body("tenant", equalTo("globex")).body("samples", hasSize(1));
        }
        given().header("Authorization", Tokens.bearer("alice")).get("/v1/usage/instances/" + unplaced + "/samples")
                .then().statusCode(404);
    }

    @Test
    void operators_read_any_tenants_instance_and_still_get_404_for_an_unknown_one() {
        UUID deployment = UUID.randomUUID();
        UUID instance = UUID.randomUUID();
        placed("globex", deployment, instance);
        sampled("globex", deployment, instance, T0, 0, 1);
        FakeControlApiResource.shared().operatorToken(OPERATOR_TOKEN, "read");

        given().header("Authorization", Tokens.bearer("ops")).queryParam("since", "2026-02-01T00:00:00Z")
                .get("/v1/usage/instances/" + instance + "/samples").then().statusCode(200)
                .body("tenant", equalTo("globex")).body("samples", hasSize(1));
        given().header("Authorization", "Bearer " + OPERATOR_TOKEN).queryParam("since", "2026-02-01T00:00:00Z")
                .get("/v1/usage/instances/" + instance + "/samples").then().statusCode(200)
                .body("tenant", equalTo("globex"));
        given().header("Authorization", Tokens.bearer("ops")).get("/v1/usage/instances/" + UUID.randomUUID()
                + "/samples").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void each_bad_query_parameter_is_named_in_a_400_problem() {
        UUID instance = UUID.randomUUID();
        sampled("acme", UUID.randomUUID(), instance, T0, 0, 1);
        String path = "/v1/usage/instances/" + instance + "/samples";

        for (String limit : new String[]{"0", "5001", "ten", "2.5", "-1"}) {
            given().header("Authorization", Tokens.bearer("alice")).queryParam("limit", limit).get(path).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:nanofleet:problem:validation"))
                    .body("errors.field", contains("limit"));
        }
        for (String since : new String[]{"yesterday", "2026-02-10", "1900-01-01T00:00:00Z",
                "+100000-01-01T00:00:00Z"}) {
            given().header("Authorization", Tokens.bearer("alice")).queryParam("since", since).get(path).then()
                    .statusCode(400).contentType("application/problem+json").body("errors.field", contains("since"));
        }
        given().header("Authorization", Tokens.bearer("alice")).queryParam("since", "soon").queryParam("limit", "0")
                .get(path).then().statusCode(400).body("errors.field", contains("since", "limit"));
        // a parameter without a value is one not given, as from a form left empty
        given().header("Authorization", Tokens.bearer("alice")).queryParam("limit", "").queryParam("since", "")
                .get(path).then().statusCode(200).body("limit", equalTo(720));
        // the query is checked before the instance is looked for, as for the operator's ranges
        given().header("Authorization", Tokens.bearer("alice")).queryParam("limit", "0")
                .get("/v1/usage/instances/" + UUID.randomUUID() + "/samples").then().statusCode(400);
    }

    @Test
    void samples_need_a_token_with_read_and_a_tenant_or_an_operator() {
        UUID instance = UUID.randomUUID();
        sampled("acme", UUID.randomUUID(), instance, T0, 0, 1);
        String path = "/v1/usage/instances/" + instance + "/samples";
        FakeControlApiResource.shared().tenantToken(READ_TOKEN, "acme", "read");
        FakeControlApiResource.shared().tenantToken(DEPLOY_TOKEN, "acme", "deploy");
        FakeControlApiResource.shared().operatorToken(OPERATOR_NO_READ, "exec");

        given().get(path).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer " + READ_TOKEN).queryParam("since", "2026-02-01T00:00:00Z").get(path)
                .then().statusCode(200).body("samples", hasSize(1));
        given().header("Authorization", "Bearer " + DEPLOY_TOKEN).get(path).then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("this API token lacks the 'read' scope this needs"));
        given().header("Authorization", "Bearer " + OPERATOR_NO_READ).get(path).then().statusCode(403)
                .body("detail", equalTo("this API token lacks the 'read' scope this needs"));
        // a node's credential (control-api issues and checks it; it means nothing here)
        String node = "nfn_" + "N".repeat(43);
        given().auth().oauth2(node).get(path).then().statusCode(401).contentType("application/problem+json");
    }

    /** The scheduler placed the instance: the fact that tells whose it is before any sample. */
    private void placed(String tenant, UUID deployment, UUID instance) {
        recorded.add(instance);
        meter.recordAll(List.of(new MeterEvent(UUID.randomUUID(), MeterEvent.Kind.PLACED, T0.minusSeconds(5),
                T0.minusSeconds(5), tenant, deployment, instance, "node-1", null, Isolation.HARDWARE, null)),
                List.of(), List.of());
    }

    private void sampled(String tenant, UUID deployment, UUID instance, Instant at, long cpuNanos, long memoryBytes) {
        recorded.add(instance);
        List<MeterStore.SampleEvent> samples = new ArrayList<>();
        samples.add(new MeterStore.SampleEvent(UUID.randomUUID(), new InstanceUsageSampled(instance, deployment,
                tenant, "node-1", Isolation.HARDWARE, new Resources(1000, 1024), at, cpuNanos, memoryBytes)));
        meter.recordAll(List.of(), samples, List.of());
    }
}
