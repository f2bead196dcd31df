package dev.nanofleet.node.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ControlPlane.ReportOutcome;
import dev.nanofleet.node.core.ControlPlaneException;
import dev.nanofleet.node.testing.MovableClock;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.nodeapi.PrivateNetwork;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpControlPlaneTest {

    private final StubControlApi stub = new StubControlApi("node-a");
    private final HttpClient http = HttpClient.newHttpClient();
    private final MovableClock clock = new MovableClock();

    @TempDir
    Path stateDir;

    @AfterEach
    void stop() {
        stub.close();
    }

    private HttpControlPlane client(Optional<String> joinToken) {
        return new HttpControlPlane(http, URI.create(stub.baseUrl()), "node-a",
                new NodeCredential(http, URI.create(stub.baseUrl()), "node-a", stateDir, joinToken), clock);
    }

    private HttpControlPlane client() {
        return client(Optional.of(StubControlApi.JOIN_TOKEN));
    }

    @Test
    void enrolls_once_then_registers_heartbeats_fetches_and_reports_with_the_node_credential() throws IOException {
        HttpControlPlane cp = client();
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
        assertThat(stub.credentialsIssued).hasValue(1);
        assertThat(grantKey).isEqualTo(stub.grantKey.getPublic());
        Path stored = NodeCredential.file(stateDir);
        assertThat(Files.readString(stored).strip()).startsWith("nfn_");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");
        try (var left = Files.list(stateDir)) {
            assertThat(left).containsExactly(stored);
        }
    }

    @Test
    void each_fetched_lists_private_networks_go_to_the_listener_before_the_list_is_returned() {
        HttpControlPlane cp = client();
        PrivateNetwork network = new PrivateNetwork("acme", 3, "10.192.1.0/24", "10.192.0.0/12", List.of(
                new PrivateNetwork.Peer("node-b", "10.230.0.12", "10.192.2.0/24")),
                Map.of("web", List.of(
                        "10.192.2.2")));
        stub.privateNetworks = List.of(network);
        List<List<PrivateNetwork>> heard = new java.util.ArrayList<>();
        cp.onPrivateNetworks(heard::add);

        cp.fetchAssignments();
        stub.privateNetworks = List.of();
        cp.fetchAssignments();

        assertThat(heard).containsExactly(List.of(network), List.of());
    }

    @Test
    void an_enrollment_whose_answer_was_lost_is_repeated_with_the_same_credential_and_takes_no_second_use()
            throws IOException {
        stub.joinTokenUses.set(1);
        stub.enrollmentAnswersToLose.set(1);
        HttpControlPlane cp = client();

        assertThatThrownBy(cp::heartbeat).isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("unreachable for enrollment");
        assertThat(NodeCredential.file(stateDir)).doesNotExist();
        String proposed = Files.readString(stateDir.resolve(NodeCredential.PROPOSED)).strip();
        cp.heartbeat();

        assertThat(Files.readString(NodeCredential.file(stateDir)).strip()).isEqualTo(proposed).startsWith("nfn_")
                .hasSize(47);
        assertThat(stub.credentialsIssued).hasValue(1);
        assertThat(stub.joinTokenUses).hasValue(0);
        assertThat(stub.heartbeats).hasValue(1);
        assertThat(stateDir.resolve(NodeCredential.PROPOSED)).doesNotExist();
    }

    @Test
    void a_stored_credential_is_used_without_a_join_token_and_without_enrolling_again() throws IOException {
        client().heartbeat();
        String stored = Files.readString(NodeCredential.file(stateDir)).strip();

        HttpControlPlane restarted = client(Optional.empty());
        restarted.heartbeat();

        assertThat(stub.credentialsIssued).hasValue(1);
        assertThat(stub.heartbeats).hasValue(2);
        assertThat(Files.readString(NodeCredential.file(stateDir)).strip()).isEqualTo(stored);
    }

    @Test
    void a_stored_credential_others_may_read_is_made_owner_only() throws IOException {
        Path file = NodeCredential.file(stateDir);
        Files.writeString(file, "nfn_earlier\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        stub.accept("nfn_earlier");

        client(Optional.empty()).heartbeat();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(stub.credentialsIssued).hasValue(0);
    }

    @Test
    void a_refused_join_token_is_a_clear_error_and_nothing_is_stored() {
        stub.joinTokenUses.set(0);
        assertThatThrownBy(() -> client().heartbeat()).isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("refused the join token");
        assertThatThrownBy(() -> client(Optional.of("nfj_wrong")).heartbeat())
                .hasMessageContaining("refused the join token");
        assertThat(NodeCredential.file(stateDir)).doesNotExist();
    }

    @Test
    void without_credential_or_join_token_nothing_is_sent() {
        assertThatThrownBy(() -> client(Optional.empty()).heartbeat()).isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("no join token");
        assertThat(stub.credentialsIssued).hasValue(0);
    }

    @Test
    void a_revoked_credential_is_reported_as_such_and_retried_only_after_a_growing_backoff() {
        HttpControlPlane cp = client();
        cp.heartbeat();
        stub.revokeCredentials();

        assertThatThrownBy(cp::heartbeat).isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("refused this node's credential (HTTP 401)").hasMessageContaining("revoked");
        // during the back-off nothing reaches control-api
        assertThatThrownBy(cp::fetchAssignments).hasMessageContaining("next try in 5 s");
        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(cp::heartbeat).hasMessageContaining("HTTP 401");
        clock.advance(Duration.ofSeconds(9));
        assertThatThrownBy(cp::heartbeat).hasMessageContaining("next try in 1 s");
        // the agent never enrolls again by itself: removal is an operator's decision
        assertThat(stub.credentialsIssued).hasValue(1);
        assertThat(stub.heartbeats).hasValue(1);
    }

    @Test
    void a404_on_a_status_report_means_not_this_nodes_instance() {
        UUID id = UUID.randomUUID();
        stub.foreign.add(id);

        assertThat(client().report(id, new InstanceStatusReport(InstanceState.RUNNING, null, null)))
                .isEqualTo(ReportOutcome.NOT_THIS_NODE);
    }

    @Test
    void the_watch_hears_each_change_of_the_assignments_over_http() {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        // the stub's stream stays open all along: a back-off is recorded, never slept
        List<Duration> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AssignmentWatch watch = new AssignmentWatch(client()::openAssignmentWatch,
                new HeardWatch(heard), Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMinutes(10), waits::add)) {
            watch.start();
            Await.until(Duration.ofSeconds(10), "the watch connected", () -> heard.contains("connected"));

            UUID id = UUID.randomUUID();
            stub.assignments.put(id, new Assignment(id, UUID.randomUUID(), "acme", "r/app:1", Isolation.SHARED,
                    new Resources(100, 64), List.of(), Map.of(), DesiredState.RUNNING));

            Await.until(Duration.ofSeconds(10), "a change heard", () -> heard.stream().anyMatch(h -> h.startsWith(
                    "changed ")));
            assertThat(waits).as("the stream never dropped, so nothing backed off").isEmpty();
        }
    }

    @Test
    void a_control_api_without_the_watch_answers_it_as_unsupported() {
        stub.watchSupported = false;

        WatchConnection answer = client().openAssignmentWatch();

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.unsupported()).isTrue();
    }

    @Test
    void an_unreachable_control_api_is_a_clear_error() {
        stub.close();
        assertThatThrownBy(() -> client().heartbeat()).isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("unreachable");
    }

}
