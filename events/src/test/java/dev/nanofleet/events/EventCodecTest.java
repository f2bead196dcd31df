package dev.nanofleet.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final UUID deploymentId = UUID.randomUUID();
    private final DeploymentCreated created = new DeploymentCreated(deploymentId, "globex", TenantTrust.TRUSTED, "web",
            "127.0.0.1:5000/demo/hello:1", new Resources(250, 64), Isolation.SHARED,
            List.of(new DeploymentCreated.Replica(UUID.randomUUID(), 0)));

    @Test
    void a_decoded_event_equals_the_encoded_one() {
        Event<DeploymentCreated> event = Event.of("control-api", Instant.parse("2026-11-22T10:00:00Z"), "globex",
                deploymentId.toString(), created);

        assertThat(EventCodec.decode(EventCodec.encode(event))).contains(event);
    }

    @Test
    void money_survives_the_wire_exactly_with_its_scale() {
        Event<SpendLimitReached> sent = Event.of("/test", Instant.parse("2026-12-01T10:00:00Z"), "acme", "acme",
                new SpendLimitReached("acme", Instant.parse("2026-12-01T00:00:00Z"),
                        Instant.parse("2027-01-01T00:00:00Z"), new BigDecimal("25.00"),
                        new BigDecimal("25.000000000000000000123"), "USD"));

        SpendLimitReached received = (SpendLimitReached) EventCodec.decode(EventCodec.encode(sent)).orElseThrow()
                .data();

        assertThat(received.limit()).isEqualTo(new BigDecimal("25.00"));
        assertThat(received.spend()).isEqualTo(new BigDecimal("25.000000000000000000123"));
    }

    @Test
    void the_wire_form_is_a_cloud_event_with_tenant_and_schema_version() {
        Event<DeploymentCreated> event = Event.of("control-api", Instant.now(), "globex", deploymentId.toString(),
                created);

        String json = new String(EventCodec.encode(event), StandardCharsets.UTF_8);

        assertThat(json).contains("\"specversion\":\"1.0\"", "\"type\":\"deployment.created\"",
                "\"schemaversion\":2", "\"tenant\":\"globex\"", "\"subject\":\"" + deploymentId + "\"");
    }

    @Test
    void the_actor_who_caused_an_event_rides_as_an_extension_attribute_and_is_absent_when_the_platform_acted() {
        Event<DeploymentCreated> byToken = Event.of("control-api", Instant.parse("2026-12-01T10:00:00Z"), "globex",
                deploymentId.toString(), created).by("token:3f1c");

        assertThat(new String(EventCodec.encode(byToken), StandardCharsets.UTF_8)).contains("\"actor\":\"token:3f1c\"");
        assertThat(EventCodec.decode(EventCodec.encode(byToken))).contains(byToken);
        Event<DeploymentCreated> byPlatform = Event.of("control-api", Instant.now(), "globex", "s", created);
        assertThat(new String(EventCodec.encode(byPlatform), StandardCharsets.UTF_8)).doesNotContain("actor");
        assertThat(EventCodec.decode(EventCodec.encode(byPlatform)).orElseThrow().actor()).isNull();
    }

    @Test
    void the_key_of_every_instance_event_is_its_deployment_so_replicas_stay_in_order() {
        InstancePlaced placed = new InstancePlaced(UUID.randomUUID(), deploymentId, "node-1", Isolation.SHARED);

        assertThat(placed.partitionKey()).isEqualTo(deploymentId.toString());
        assertThat(EventType.of(placed).topic()).isEqualTo(Topics.INSTANCES);
    }

    @Test
    void scaling_and_node_scheduling_events_survive_the_wire() {
        DeploymentScaled scaled = new DeploymentScaled(deploymentId, "globex", TenantTrust.TRUSTED,
                new Resources(250, 64), Isolation.SHARED, 1, List.of(), List.of(UUID.randomUUID()));
        NodeSchedulingChanged drained = new NodeSchedulingChanged("node-1", NodeScheduling.DRAINING);

        for (EventPayload payload : List.of(scaled, drained)) {
            Event<?> event = Event.of("control-api", Instant.parse("2026-11-22T10:00:00Z"), null, "s", payload);
            assertThat(EventCodec.decode(EventCodec.encode(event))).contains(event);
        }
        assertThat(EventType.of(scaled).topic()).isEqualTo(Topics.DEPLOYMENTS);
        assertThat(EventType.of(drained).topic()).isEqualTo(Topics.NODES);
    }

    @Test
    void an_unknown_type_decodes_to_nothing_so_old_consumers_skip_new_events() {
        String json = """
                {"specversion":"1.0","id":"%s","type":"deployment.renamed","source":"x","time":"2026-11-22T10:00:00Z",
                 "subject":"s","data":{}}""".formatted(UUID.randomUUID());

        assertThat(EventCodec.decode(json.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void a_deployment_created_carries_no_command_or_env_since_version_2() {
        String json = new String(EventCodec.encode(Event.of("control-api", Instant.now(), "globex",
                deploymentId.toString(), created)), StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("\"env\"", "\"command\"");
    }

    @Test
    void a_version_1_deployment_created_with_command_and_env_still_decodes() {
        UUID instance = UUID.randomUUID();
        String json = """
                {"specversion":"1.0","id":"%s","type":"deployment.created","schemaversion":1,"source":"x",
                 "time":"2026-11-22T10:00:00Z","subject":"%s","tenant":"globex",
                 "data":{"deploymentId":"%s","tenant":"globex","tenantTrust":"TRUSTED","name":"web",
                  "image":"busybox:1.36","resources":{"cpuMillis":250,"memoryMiB":64},"isolation":"SHARED",
                  "command":["sh"],"env":{"A":"b"},"replicas":[{"instanceId":"%s","ordinal":0}]}}"""
                .formatted(UUID.randomUUID(), deploymentId, deploymentId, instance);

        Event<?> event = EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)).orElseThrow();

        assertThat(event.data()).isEqualTo(new DeploymentCreated(deploymentId, "globex", TenantTrust.TRUSTED, "web",
                "busybox:1.36", new Resources(250, 64), Isolation.SHARED,
                List.of(new DeploymentCreated.Replica(instance, 0))));
    }

    @Test
    void fields_added_by_a_newer_writer_are_ignored() {
        String json = """
                {"specversion":"1.0","id":"%s","type":"node.heartbeat","schemaversion":1,"source":"x",
                 "time":"2026-11-22T10:00:00Z","subject":"n1","data":{"nodeName":"n1","loadAverage":0.5}}"""
                .formatted(UUID.randomUUID());

        Event<?> event = EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)).orElseThrow();

        assertThat(event.data()).isEqualTo(new NodeHeartbeat("n1"));
    }

    @Test
    void garbage_and_events_without_an_id_are_rejected_with_the_reason() {
        assertThatThrownBy(() -> EventCodec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not JSON");
        String noId = """
                {"type":"node.heartbeat","source":"x","time":"2026-11-22T10:00:00Z","subject":"n1",
                 "data":{"nodeName":"n1"}}""";
        assertThatThrownBy(() -> EventCodec.decode(noId.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("missing id");
    }
}
