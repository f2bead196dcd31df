package dev.nanofleet.node.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ControlPlane.ReportOutcome;
import dev.nanofleet.node.core.ControlPlaneException;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.NodeRegistration;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpControlPlaneTest {

    private final StubControlApi stub = new StubControlApi("node-a");
    private final HttpClient http = HttpClient.newHttpClient();
    private final MutableClock clock = new MutableClock();

    @AfterEach
    void stop() {
        stub.close();
    }

    private HttpControlPlane client(String secret) {
        return new HttpControlPlane(http, URI.create(stub.baseUrl()), "node-a",
                new TokenSource(http, URI.create(stub.tokenUrl()), "nanofleet-node-node-a", secret, clock));
    }

    @Test
    void registers_heartbeats_fetches_and_reports_with_one_token() {
        HttpControlPlane cp = client(StubControlApi.SECRET);
        UUID id = UUID.randomUUID();
        stub.assignments.put(id, new Assignment(id, UUID.randomUUID(), "acme", "r/app:1", Isolation.SHARED,
                new Resources(100, 64), List.of("sh"), Map.of("A", "b"), DesiredState.RUNNING));

        var grantKey = cp.register(new NodeRegistration(new Resources(1500, 4096), Set.of(Isolation.SHARED),
                Map.of("zone", "a"), "test"));
        cp.heartbeat();
        List<Assignment> assignments = cp.fetchAssignments();
        ReportOutcome outcome = cp.report(id, new InstanceStatusReport(InstanceState.EXITED, null, 3));

        assertThat(stub.registrations).singleElement().extracting(NodeRegistration::labels)
                .isEqualTo(Map.of("zone", "a"));
        assertThat(stub.heartbeats).hasValue(1);
        assertThat(assignments).singleElement().extracting(Assignment::env).isEqualTo(Map.of("A", "b"));
        assertThat(outcome).isEqualTo(ReportOutcome.ACCEPTED);
        assertThat(stub.reportsFor(id)).containsExactly(new InstanceStatusReport(InstanceState.EXITED, null, 3));
        assertThat(stub.tokensIssued).hasValue(1);
        assertThat(grantKey).isEqualTo(stub.grantKey.getPublic());
    }

    @Test
    void refreshes_the_token_before_it_expires_and_after_a401() {
        HttpControlPlane cp = client(StubControlApi.SECRET);
        cp.heartbeat();
        clock.advance(Duration.ofSeconds(290));
        cp.heartbeat();
        assertThat(stub.tokensIssued).hasValue(2);

        stub.revokeTokens();
        cp.heartbeat();
        assertThat(stub.tokensIssued).hasValue(3);
        assertThat(stub.heartbeats).hasValue(3);
    }

    @Test
    void a404_on_a_status_report_means_not_this_nodes_instance() {
        UUID id = UUID.randomUUID();
        stub.foreign.add(id);

        assertThat(client(StubControlApi.SECRET).report(id, new InstanceStatusReport(InstanceState.RUNNING, null,
                null))).isEqualTo(ReportOutcome.NOT_THIS_NODE);
    }

    @Test
    void the_watch_hears_each_change_of_the_assignments_over_http() {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AssignmentWatch watch = new AssignmentWatch(client(StubControlApi.SECRET)::openAssignmentWatch,
                recorder(heard), Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMinutes(10), d -> Thread.sleep(d.toMillis()))) {
            watch.start();
            Await.until(Duration.ofSeconds(10), "the watch connected", () -> heard.contains("connected"));

            UUID id = UUID.randomUUID();
            stub.assignments.put(id, new Assignment(id, UUID.randomUUID(), "acme", "r/app:1", Isolation.SHARED,
                    new Resources(100, 64), List.of(), Map.of(), DesiredState.RUNNING));

            Await.until(Duration.ofSeconds(10), "a change heard", () -> heard.stream().anyMatch(h -> h.startsWith(
                    "changed ")));
        }
    }

    @Test
    void a_control_api_without_the_watch_answers_it_as_unsupported() {
        stub.watchSupported = false;

        WatchConnection answer = client(StubControlApi.SECRET).openAssignmentWatch();

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.unsupported()).isTrue();
    }

    private static AssignmentWatch.Listener recorder(List<String> heard) {
        return new AssignmentWatch.Listener() {
            @Override
            public void connected() {
                heard.add("connected");
            }

            @Override
            public void changed(long version) {
                heard.add("changed " + version);
            }

            @Override
            public void disconnected(String why) {
                heard.add("disconnected");
            }

            @Override
            public void unsupported() {
                heard.add("unsupported");
            }
        };
    }

    @Test
    void a_wrong_secret_is_a_clear_error() {
        assertThatThrownBy(() -> client("wrong").heartbeat()).isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("token endpoint refused client nanofleet-node-node-a");
    }

    @Test
    void an_unreachable_control_api_is_a_clear_error() {
        stub.close();
        assertThatThrownBy(() -> client(StubControlApi.SECRET).heartbeat()).isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("unreachable");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
