package dev.nanofleet.controlapi.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.node.NodeService;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeLiveness;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Node liveness decided in control-api, where heartbeats arrive: a silent node is LOST once and READY again when it
 * heartbeats, and a Kafka outage (which once made every node look dead to the scheduler) loses none. Heartbeats go
 * through {@link NodeService} directly: node identities in the test realm are few, and the HTTP path is NodeApiIT's.
 */
@QuarkusTest
@TestProfile(NodeLivenessIT.ShortGrace.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RestartableKafka.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KeycloakTestResource.class, restrictToAnnotatedClass = true)
class NodeLivenessIT {

    private static final Duration LOST_AFTER = Duration.ofSeconds(3);
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    public static class ShortGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // nodes other classes registered in the shared database fall silent too and, older, come first: the
            // eviction rate limit (NodeLivenessRulesTest's) would hold this class's silent node past its deadline
            return Map.of("nanofleet.control-api.node-liveness.lost-after", LOST_AFTER.toSeconds() + "s",
                    "nanofleet.control-api.node-liveness.check-interval", "200ms",
                    "nanofleet.control-api.node-liveness.max-lost-per-minute", "10000");
        }
    }

    @Inject
    NodeService nodes;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void a_node_silent_past_the_grace_period_is_lost_once_and_ready_again_when_it_heartbeats() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String silent = "quiet-" + run;
        // ten heartbeating nodes keep the silent share low whatever other classes left in the database
        List<String> alive = IntStream.range(0, 10).mapToObj(i -> "alive-" + run + "-" + i).toList();
        alive.forEach(this::register);
        register(silent);
        try (Heartbeats pump = new Heartbeats(alive); NodeEvents events = new NodeEvents(bootstrap)) {
            NodeStatusChanged lost = events.await(silent, c -> c.status() == NodeLiveness.LOST);
            assertThat(lost.reason()).isEqualTo("no heartbeat for 3s");
            assertThat(stateOf(silent)).isEqualTo("lost");

            nodes.heartbeat(silent);

            events.await(silent, c -> c.status() == NodeLiveness.READY);
            assertThat(stateOf(silent)).isEqualTo("ready");
            assertThat(events.changes(silent)).extracting(NodeStatusChanged::status)
                    .containsExactly(NodeLiveness.LOST, NodeLiveness.READY);
            assertThat(alive).allSatisfy(n -> assertThat(events.changes(n)).isEmpty());
        }
    }

    @Test
    void heartbeats_of_many_nodes_are_written_together_each_with_its_own_time() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> fleet = IntStream.range(0, 50).mapToObj(i -> "batch-" + run + "-" + i).toList();
        fleet.forEach(this::register);
        Map<String, Instant> before = new java.util.HashMap<>();
        Map<String, Instant> after = new java.util.HashMap<>();
        for (String node : fleet) {
            before.put(node, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
            nodes.heartbeat(node);
            after.put(node, Instant.now());
        }
        Await.until(DEADLINE, "every heartbeat written", () -> nodes.list().stream()
                .filter(n -> fleet.contains(n.name()))
                .allMatch(n -> !n.lastHeartbeat().isBefore(before.get(n.name()))));
        // each keeps the time its own heartbeat arrived, not the time of the flush that wrote it
        assertThat(nodes.list().stream().filter(n -> fleet.contains(n.name())))
                .allSatisfy(n -> assertThat(n.lastHeartbeat()).isBetween(before.get(n.name()), after.get(n.name())));
        // silent from now on, they would hold back the other tests' judgements (the silent share, the LOST rate)
        new Heartbeats(fleet);
    }

    @Test
    void a_kafka_outage_of_twice_the_grace_period_marks_no_node_lost() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> fleet = IntStream.range(0, 3).mapToObj(i -> "steady-" + run + "-" + i).toList();
        fleet.forEach(this::register);
        try (Heartbeats pump = new Heartbeats(fleet)) {
            RestartableKafka.stopBroker();
            Instant back = Instant.now().plus(LOST_AFTER.multipliedBy(2));
            // the outage lasts two grace periods; all along, control-api keeps every node READY
            List<String> seenNotReady = new ArrayList<>();
            Await.until(DEADLINE, "two grace periods of outage", () -> {
                fleet.stream().filter(n -> !"ready".equals(stateOf(n))).forEach(seenNotReady::add);
                return Instant.now().isAfter(back);
            });
            RestartableKafka.startBroker();
            assertThat(seenNotReady).isEmpty();

            // the relay publishes what waited in the outbox; once this marker is out, any transition would be too
            String marker = "marker-" + run;
            register(marker);
            try (NodeEvents events = new NodeEvents(bootstrap)) {
                events.awaitRegistered(marker);
                assertThat(fleet).allSatisfy(n -> assertThat(events.changes(n)).isEmpty());
            }
            assertThat(fleet).allSatisfy(n -> assertThat(stateOf(n)).isEqualTo("ready"));
        }
    }

    private void register(String node) {
        nodes.register(node, new NodeRegistration(new Resources(1000, 1024), EnumSet.of(Isolation.HARDWARE), Map.of(),
                "0.1.0", null), "127.0.0.1");
    }

    private String stateOf(String node) {
        return nodes.list().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().state();
    }

    /** Heartbeats for the given nodes every 250 ms, as their agents would, until closed (daemon: never past the JVM). */
    private final class Heartbeats implements AutoCloseable {
        private final ScheduledExecutorService agents = Executors
                .newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

        Heartbeats(List<String> names) {
            agents.scheduleAtFixedRate(() -> names.forEach(nodes::heartbeat), 0, 250, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            agents.shutdownNow();
            agents.awaitTermination(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The nodes topic from its start, read by a fresh consumer group. */
    private static final class NodeEvents implements AutoCloseable {
        private final Consumer<String, byte[]> consumer;
        private final List<Event<?>> seen = new ArrayList<>();

        NodeEvents(String bootstrap) {
            consumer = KafkaClients.consumer(bootstrap, "it-" + UUID.randomUUID());
            consumer.subscribe(List.of(Topics.NODES));
        }

        NodeStatusChanged await(String node, Predicate<NodeStatusChanged> wanted) {
            return Await.value(DEADLINE, "node.status-changed for " + node, () -> {
                poll();
                return changes(node).stream().filter(wanted).findFirst().orElse(null);
            });
        }

        void awaitRegistered(String node) {
            Await.until(DEADLINE, "node.registered for " + node, () -> {
                poll();
                return seen.stream().anyMatch(e -> e.data() instanceof NodeRegistered r && r.nodeName().equals(node));
            });
        }

        List<NodeStatusChanged> changes(String node) {
            poll();
            return seen.stream()
                    .map(Event::data)
                    .filter(d -> d instanceof NodeStatusChanged c && c.nodeName().equals(node))
                    .map(NodeStatusChanged.class::cast)
                    .toList();
        }

        private void poll() {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                EventCodec.decode(record.value()).ifPresent(seen::add);
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
