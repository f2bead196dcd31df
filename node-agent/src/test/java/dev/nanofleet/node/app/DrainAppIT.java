package dev.nanofleet.node.app;

import static dev.nanofleet.node.app.HealthCheckAppIT.awaitLast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.net.NodeNetwork;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.PublishedPort;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Connection draining with the whole agent and real runc containers of the demo image (busybox httpd on 8080): told
 * to stop, an instance that publishes its port keeps answering on it for {@code nanofleet.node.stop.drain-delay}
 * (reported STOPPING meanwhile) and is stopped after it; one that publishes nothing stops at once.
 */
@EnabledIf("dev.nanofleet.node.testing.NodeHost#readyForTheAgent")
@QuarkusTest
@WithTestResource(DrainAppIT.StubResource.class)
class DrainAppIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration DRAIN = Duration.ofSeconds(5);
    static final String NODE = "it-drain-node";

    public static final class StubResource implements QuarkusTestResourceLifecycleManager {
        static StubControlApi stub;
        static Path stateDir;

        @Override
        public Map<String, String> start() {
            stub = new StubControlApi(NODE);
            try {
                stateDir = Files.createTempDirectory("nanofleet-node-drain-it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> config = new HashMap<>();
            config.put("nanofleet.node.hardware.enabled", "false");
            config.put("nanofleet.node.stop.drain-delay", DRAIN.toSeconds() + "s");
            config.putAll(Map.of("nanofleet.node.name", NODE, "nanofleet.node.control-api-url", stub.baseUrl(),
                    "nanofleet.node.join-token", StubControlApi.JOIN_TOKEN, "nanofleet.node.state-dir", stateDir
                            .toString(),
                    "nanofleet.node.registry.tls-verify", "false", "nanofleet.node.reconcile-interval", "200ms",
                    "nanofleet.node.heartbeat-interval", "500ms", "nanofleet.node.stop-grace-period", "1s"));
            return config;
        }

        @Override
        public void stop() {
            try (StubControlApi s = stub) {
                if (stateDir != null) {
                    NodeNetwork network = NodeNetwork.setUp(NODE, stateDir, NodeNetwork.DEFAULT_POOL, "127.0.0.1");
                    RuncRuntime cleanup = new RuncRuntime("/usr/sbin/runc", stateDir, HostFacts.hardLimits(),
                            network);
                    for (RuntimeInstance i : cleanup.list()) {
                        cleanup.stop(i.id(), Duration.ZERO);
                        cleanup.remove(i.id());
                    }
                    network.detachAll();
                }
            } finally {
                if (stateDir != null) {
                    Files2.deleteTree(stateDir);
                }
            }
        }
    }

    private static Assignment demo(UUID id, List<PublishedPort> ports, DesiredState desired) {
        return new Assignment(id, UUID.nameUUIDFromBytes(id.toString().getBytes(StandardCharsets.UTF_8)), "acme",
                NodeHost.demoImage(), Isolation.SHARED, new Resources(200, 32), List.of(), Map.of(), desired,
                RestartPolicy.NEVER, ports);
    }

    @Test
    void an_instance_that_publishes_a_port_answers_on_it_through_the_drain_delay_and_one_without_stops_at_once()
            throws IOException {
        StubControlApi stub = StubResource.stub;
        Await.until(WAIT, "registration", () -> !stub.registrations.isEmpty());
        UUID published = UUID.randomUUID();
        UUID unpublished = UUID.randomUUID();
        List<PublishedPort> port = List.of(new PublishedPort(DemoImage.PORT));
        stub.assignments.put(published, demo(published, port, DesiredState.RUNNING));
        stub.assignments.put(unpublished, demo(unpublished, List.of(), DesiredState.RUNNING));
        InstanceStatusReport running = awaitLast(stub, published, WAIT, r -> r.state() == InstanceState.RUNNING);
        awaitLast(stub, unpublished, WAIT, r -> r.state() == InstanceState.RUNNING);
        int hostPort = running.network().ports().get(0).hostPort();
        assertThat(httpGet(hostPort)).contains(DemoImage.PAGE.strip());

        long t0 = System.nanoTime();
        stub.assignments.put(published, demo(published, port, DesiredState.STOPPED));
        stub.assignments.put(unpublished, demo(unpublished, List.of(), DesiredState.STOPPED));

        awaitLast(stub, unpublished, WAIT, r -> r.state() == InstanceState.STOPPED);
        long unpublishedStopped = System.nanoTime();
        assertThat(last(stub, published).state()).as("the published one drains while the other stopped").isEqualTo(
                InstanceState.STOPPING);

        // ask its published port until the agent reports it STOPPED: it answers, the last time after the delay
        AtomicInteger answered = new AtomicInteger();
        AtomicLong lastAnswer = new AtomicLong();
        Await.until(WAIT, published + " stopped", () -> {
            boolean stopped = last(stub, published).state() == InstanceState.STOPPED;
            if (!stopped && answers(hostPort)) {
                answered.incrementAndGet();
                lastAnswer.set(System.nanoTime());
            }
            return stopped;
        });
        long publishedStopped = System.nanoTime();
        System.out.printf("[it] drain %d s: stop asked->unpublished STOPPED %d ms, ->published STOPPED %d ms; the "
                + "published port answered %d times while STOPPING, the last %d ms after the stop was asked%n",
                DRAIN
                        .toSeconds(),
                ms(t0, unpublishedStopped), ms(t0, publishedStopped), answered.get(), ms(t0, lastAnswer.get()));

        assertThat(ms(t0, unpublishedStopped)).as("without a published port no drain").isLessThan(DRAIN.toMillis());
        assertThat(answered.get()).isPositive();
        assertThat(ms(t0, lastAnswer.get())).as("still answering at the end of the delay").isGreaterThanOrEqualTo(DRAIN
                .toMillis());
        assertThat(answers(hostPort)).as("nothing answers once it stopped").isFalse();
        assertThat(stub.reportsFor(published).stream().map(InstanceStatusReport::state)).containsSubsequence(
                InstanceState.RUNNING, InstanceState.STOPPING, InstanceState.STOPPED).filteredOn(
                        s -> s == InstanceState.STOPPING)
                .hasSize(1);

        stub.assignments.remove(published);
        stub.assignments.remove(unpublished);
        Await.until(WAIT, "both removed", () -> !Files.exists(StubResource.stateDir.resolve("instances").resolve(
                published.toString())) && !Files.exists(
                        StubResource.stateDir.resolve("instances").resolve(
                                unpublished.toString())));
    }

    private static InstanceStatusReport last(StubControlApi stub, UUID id) {
        List<InstanceStatusReport> all = stub.reportsFor(id);
        return all.get(all.size() - 1);
    }

    private static boolean answers(int port) {
        try {
            return httpGet(port).contains(DemoImage.PAGE.strip());
        } catch (IOException e) {
            return false;
        }
    }

    private static String httpGet(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: drain\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
