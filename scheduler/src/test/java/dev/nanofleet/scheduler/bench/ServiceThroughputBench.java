package dev.nanofleet.scheduler.bench;

import static io.restassured.RestAssured.given;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.scheduler.service.OwnKafkaTestResource;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Placements per second through the whole service: events into Kafka, the scheduler's consumer, its transaction, the
 * outbox relay, {@code instance.placed} out of Kafka. {@code ./fleet bench scheduler-service}; not an IT (its name
 * matches no failsafe include), so {@code verify} never runs it.
 * <p>
 * A fleet of {@code bench.nodes} (1,000) nodes in 5 zones (16 cores, 64 GiB, both isolations) registers through
 * Kafka and is awaited in the database; then, per run ({@code bench.runs}, 3), {@code bench.replicas} (2,000)
 * replicas in {@code bench.deployments} (200) deployments of 20 tenants (7 in 10 trusted, shared kernel; the rest
 * hardware-isolated; 250-1000 mCPU, 256-2048 MiB) are sent at once, and the clock stops when every replica's
 * {@code instance.placed} or {@code instance.unschedulable} has been read back from the instances topic. A warm-up run
 * of a tenth of the replicas comes first. Printed: one line per run, then
 * {@code scheduler-service nodes=N replicas=R deployments=D placements_per_second=X (median)} and the scheduler's
 * batch and commit metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "database", value = "scheduler_service_bench"))
@QuarkusTestResource(value = OwnKafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KeycloakTestResource.class, restrictToAnnotatedClass = true)
class ServiceThroughputBench {

    private static final String[] ZONES = {"a", "b", "c", "d", "e"};

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    private final SplittableRandom random = new SplittableRandom(42);

    @Test
    void placements_per_second_end_to_end() {
        int nodes = Integer.getInteger("bench.nodes", 1000);
        int replicas = Integer.getInteger("bench.replicas", 2000);
        int deployments = Integer.getInteger("bench.deployments", 200);
        int runs = Integer.getInteger("bench.runs", 3);
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, "scheduler-service-bench");
                Consumer<String, byte[]> outcomes = KafkaClients.consumer(bootstrap, "bench-" + UUID.randomUUID())) {
            outcomes.subscribe(List.of(Topics.INSTANCES));
            long registering = System.nanoTime();
            for (int i = 0; i < nodes; i++) {
                String name = String.format(Locale.ROOT, "node-%05d", i);
                send(producer, Event.of("/bench", Instant.now(), null, name,
                        new NodeRegistered(name, new Resources(16000, 65536), Set.of(Isolation.HARDWARE,
                                Isolation.SHARED), Map.of("zone", ZONES[i % ZONES.length]))));
            }
            producer.flush();
            Await.until(Duration.ofMinutes(10), nodes + " nodes registered",
                    () -> QuarkusTransaction.requiringNew()
                            .call(() -> em.createQuery("SELECT count(n) FROM NodeEntity n", Long.class)
                                    .getSingleResult() >= nodes));
            double registerSeconds = (System.nanoTime() - registering) / 1e9;
            System.out.printf(Locale.ROOT, "registered nodes=%d in %.2f s (%.0f node events/s)%n", nodes,
                    registerSeconds, nodes / registerSeconds);

            run("warm-up", producer, outcomes, Math.max(1, replicas / 10), Math.max(1, deployments / 10));
            double[] rates = new double[runs];
            for (int r = 0; r < runs; r++) {
                rates[r] = run("run " + (r + 1), producer, outcomes, replicas, deployments);
            }
            Arrays.sort(rates);
            System.out.printf(Locale.ROOT,
                    "scheduler-service nodes=%d replicas=%d deployments=%d placements_per_second=%.0f (median of %d: %s)%n",
                    nodes, replicas, deployments, rates[runs / 2], runs, Arrays.toString(rates));
            given().get("/q/metrics")
                    .asString()
                    .lines()
                    .filter(l -> l.startsWith("nanofleet_scheduler_") && !l.startsWith("nanofleet_scheduler_unsched"))
                    .forEach(System.out::println);
        }
    }

    /** Sends the deployments at once and waits for an outcome per replica; returns replicas per second. */
    private double run(String label, Producer<String, byte[]> producer, Consumer<String, byte[]> outcomes,
            int replicas, int deployments) {
        List<Event<DeploymentCreated>> events = new ArrayList<>();
        Set<UUID> waiting = new HashSet<>();
        for (int d = 0; d < deployments; d++) {
            int count = replicas / deployments + (d < replicas % deployments ? 1 : 0);
            Event<DeploymentCreated> event = deployment(count);
            event.data().replicas().forEach(r -> waiting.add(r.instanceId()));
            events.add(event);
        }
        int total = waiting.size();
        long started = System.nanoTime();
        events.forEach(e -> send(producer, e));
        producer.flush();
        int[] placed = new int[1];
        Await.until(Duration.ofMinutes(10), "an outcome for each of " + total + " replicas", () -> {
            for (ConsumerRecord<String, byte[]> record : outcomes.poll(Duration.ofMillis(50))) {
                EventCodec.decode(record.value()).ifPresent(event -> {
                    switch (event.data()) {
                        case InstancePlaced p -> placed[0] += waiting.remove(p.instanceId()) ? 1 : 0;
                        case InstanceUnschedulable u -> waiting.remove(u.instanceId());
                        default -> {
                        }
                    }
                });
            }
            return waiting.isEmpty();
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = total / seconds;
        System.out.printf(Locale.ROOT, "%s: replicas=%d deployments=%d placed=%d in %.2f s: %.0f placements/s%n",
                label, total, deployments, placed[0], seconds, rate);
        return rate;
    }

    private Event<DeploymentCreated> deployment(int replicas) {
        UUID id = UUID.randomUUID();
        String tenant = "tenant-" + random.nextInt(20);
        boolean trusted = random.nextInt(10) < 7;
        List<DeploymentCreated.Replica> list = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            list.add(new DeploymentCreated.Replica(UUID.randomUUID(), i));
        }
        return Event.of("/bench", Instant.now(), tenant, id.toString(),
                new DeploymentCreated(id, tenant, trusted ? TenantTrust.TRUSTED : TenantTrust.UNTRUSTED, "web",
                        "registry.invalid/web:1",
                        new Resources(250 + 250 * random.nextInt(4), 256 << random.nextInt(4)),
                        trusted ? Isolation.SHARED : Isolation.HARDWARE, list));
    }

    private static void send(Producer<String, byte[]> producer, Event<?> event) {
        producer.send(new ProducerRecord<>(event.topic(), event.partitionKey(), EventCodec.encode(event)));
    }
}
