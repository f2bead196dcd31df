package dev.nanofleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulated fleet of {@code ./fleet bench fleet} ({@link FleetBench}) against the real platform, small enough for
 * CI: 20 simulated nodes join with a join token while the real nodes are cordoned, bob (shared-kernel) and alice
 * ({@code auto}: a VM) create 20 replicas, and every one is placed on a simulated node and shown running by the API.
 * Afterwards the deployments are deleted (the nodes report their replicas stopped), the simulated nodes removed and
 * the real nodes uncordoned, so the journeys that share the platform find it as it was.
 */
class SimulatedFleetIT {

    private static final int NODES = 20;
    private static final int REPLICAS = 20;
    private static SharedPlatform platform;

    @BeforeAll
    static void startThePlatform() throws Exception {
        platform = SharedPlatform.get();
    }

    @Test
    void simulated_nodes_join_and_every_replica_lands_on_them_and_runs_while_the_real_nodes_are_cordoned()
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String ops = platform.keycloak.passwordToken("ops", "nanofleet");
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
        DeploymentLoad load = new DeploymentLoad(http, platform.api, platform.environment().get(
                "NANOFLEET_DEMO_IMAGE"));
        List<DeploymentLoad.Tenant> tenants = List.of(
                new DeploymentLoad.Tenant("bob", platform.keycloak.passwordToken("bob", "nanofleet"), "shared"),
                new DeploymentLoad.Tenant("alice", platform.keycloak.passwordToken("alice", "nanofleet"), "auto"));
        SimulatedFleet.Settings defaults = SimulatedFleet.Settings.agentDefaults();
        List<DeploymentLoad.Created> created = new ArrayList<>();
        Set<String> joined = new HashSet<>();
        for (String real : platform.nodeNames()) {
            assertThat(send(http, ops, "POST", "/v1/nodes/" + real + "/cordon").statusCode()).isEqualTo(200);
        }
        try (SimulatedFleet fleet = new SimulatedFleet(platform.api, defaults.withClients(1, 32))) {
            try {
                fleet.join(NODES, prefix, () -> ops, 8, Duration.ofSeconds(60));
                joined.addAll(fleet.names());
                assertThat(fleet.watching()).isEqualTo(NODES);

                created.addAll(load.create(tenants, REPLICAS, 4, prefix, 7));
                try {
                    Await.until(Duration.ofSeconds(60), REPLICAS + " replicas reported running by simulated nodes",
                            () -> fleet.runningCount() >= REPLICAS);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; " + fleet.runningCount() + " running, failed node"
                            + " requests: " + fleet.failures(), e);
                }

                List<DeploymentLoad.Replica> replicas = load.replicas(created, 4);
                assertThat(replicas).hasSize(REPLICAS);
                assertThat(replicas).allSatisfy(r -> {
                    assertThat(r.state()).as("state of %s", r.id()).isEqualTo("running");
                    assertThat(fleet.names()).as("node of %s", r.id()).contains(r.node());
                    assertThat(r.timeline()).as("timeline of %s", r.id()).containsKeys("acceptedAt", "placedAt",
                            "deliveredAt", "reportedAt");
                });
                Set<String> tenantsSeen = created.stream().map(c -> c.tenant().user()).collect(Collectors.toSet());
                assertThat(tenantsSeen).as("both isolation modes in the mix").containsExactlyInAnyOrder("bob",
                        "alice");
                assertThat(fleet.failures()).as("failed node requests (a retried enrollment aside)")
                        .doesNotContainKeys("enroll", "register", "heartbeat", "fetch", "report", "watch", "task");
            } finally {
                for (DeploymentLoad.Created d : created) {
                    send(http, d.tenant().token(), "DELETE", "/v1/deployments/" + d.id());
                }
                Await.until(Duration.ofSeconds(60), "the simulated nodes stopped their replicas",
                        () -> fleet.runningNow() == 0);
            }
        } finally {
            for (String node : joined) {
                send(http, ops, "DELETE", "/v1/nodes/" + node);
            }
            for (String real : platform.nodeNames()) {
                send(http, ops, "POST", "/v1/nodes/" + real + "/uncordon");
            }
        }
    }

    private static HttpResponse<String> send(HttpClient http, String token, String method, String path)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(platform.api + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
