package dev.nanofleet.controlapi.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.HealthCheck;
import dev.nanofleet.nodeapi.InstanceNetwork;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EdgeRouteRulesTest {

    private static final UUID DEPLOYMENT = UUID.randomUUID();
    private static final EdgeRouteRules.Deployment HELLO = new EdgeRouteRules.Deployment(DEPLOYMENT, "globex", "hello",
            8080);
    private static final Map<String, String> NODES = Map.of("local-1", "10.230.0.11", "local-2", "10.230.0.12");
    private static final HealthCheck CHECK = new HealthCheck(HealthCheck.Type.TCP, 8080, null, 0, 0, null, 1, 1, 0, 1);

    @Test
    void the_http_port_is_the_first_published_port_that_is_not_tcp() {
        assertThat(EdgeRouteRules.httpPort(List.of(8080, 9090), List.of())).contains(8080);
        assertThat(EdgeRouteRules.httpPort(List.of(5432, 8080, 9090), List.of(5432))).contains(8080);
        assertThat(EdgeRouteRules.httpPort(List.of(5432), List.of(5432))).isEmpty();
        assertThat(EdgeRouteRules.httpPort(List.of(), List.of())).isEmpty();
        assertThat(EdgeRouteRules.httpPort(null, null)).isEmpty();
    }

    @Test
    void each_tcp_port_lists_the_serving_replicas_at_the_node_port_of_that_container_port_ordered_by_edge_port() {
        EdgeRouteRules.Deployment db = new EdgeRouteRules.Deployment(DEPLOYMENT, "globex", "db", 8080,
                List.of(new EdgeRouteRules.TcpPort(5432, 20001), new EdgeRouteRules.TcpPort(6379, 20000)));
        EdgeRouteRules.Replica running = withPorts(0, "local-1", InstanceState.RUNNING, DesiredState.RUNNING,
                new InstanceNetwork.PortBinding(8080, 31001), new InstanceNetwork.PortBinding(5432, 31002),
                new InstanceNetwork.PortBinding(6379, 31003));
        EdgeRouteRules.Replica stopping = withPorts(1, "local-2", InstanceState.RUNNING, DesiredState.STOPPED,
                new InstanceNetwork.PortBinding(5432, 31012));
        EdgeRouteRules.Replica noBinding = withPorts(2, "local-2", InstanceState.RUNNING, DesiredState.RUNNING,
                new InstanceNetwork.PortBinding(8080, 31021));

        EdgeRoute route = EdgeRouteRules.routes(List.of(db), List.of(noBinding, stopping, running), NODES)
                .getFirst();

        assertThat(route.containerPort()).isEqualTo(8080);
        assertThat(route.backends()).extracting(EdgeRoute.Backend::port).containsExactly(31001, 31021);
        assertThat(route.tcpPorts()).extracting(EdgeRoute.TcpPort::edgePort).containsExactly(20000, 20001);
        assertThat(route.tcpPorts().getFirst().containerPort()).isEqualTo(6379);
        assertThat(route.tcpPorts().getFirst().backends()).extracting(EdgeRoute.Backend::address,
                EdgeRoute.Backend::port).containsExactly(org.assertj.core.groups.Tuple.tuple("10.230.0.11", 31003));
        assertThat(route.tcpPorts().getLast().backends()).extracting(EdgeRoute.Backend::port).containsExactly(31002);
    }

    @Test
    void a_deployment_with_tcp_ports_only_has_no_http_port_and_no_hostname_backends() {
        EdgeRouteRules.Deployment db = new EdgeRouteRules.Deployment(DEPLOYMENT, "globex", "db", null,
                List.of(new EdgeRouteRules.TcpPort(5432, 20000)));

        EdgeRoute route = EdgeRouteRules.routes(List.of(db), List.of(withPorts(0, "local-1", InstanceState.RUNNING,
                DesiredState.RUNNING, new InstanceNetwork.PortBinding(5432, 31002))), NODES).getFirst();

        assertThat(route.containerPort()).isNull();
        assertThat(route.backends()).isEmpty();
        assertThat(route.tcpPorts()).singleElement()
                .satisfies(
                        tcp -> assertThat(tcp.backends()).extracting(EdgeRoute.Backend::port).containsExactly(31002));
    }

    @Test
    void running_replicas_are_backends_at_their_nodes_address_and_the_node_port_of_the_http_port() {
        List<EdgeRoute> routes = EdgeRouteRules.routes(List.of(HELLO),
                List.of(replica(1, "local-2", InstanceState.RUNNING, DesiredState.RUNNING, null, null, 31002),
                        replica(0, "local-1", InstanceState.RUNNING, DesiredState.RUNNING, null, null, 31001)),
                NODES);

        assertThat(routes).singleElement().satisfies(route -> {
            assertThat(route.tenant()).isEqualTo("globex");
            assertThat(route.name()).isEqualTo("hello");
            assertThat(route.containerPort()).isEqualTo(8080);
            assertThat(route.backends()).extracting(EdgeRoute.Backend::address, EdgeRoute.Backend::port)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("10.230.0.11", 31001),
                            org.assertj.core.groups.Tuple.tuple("10.230.0.12", 31002));
        });
    }

    @Test
    void a_replica_that_does_not_run_or_is_being_stopped_is_no_backend() {
        List<EdgeRoute> routes = EdgeRouteRules.routes(List.of(HELLO),
                List.of(replica(0, "local-1", InstanceState.STARTING, DesiredState.RUNNING, null, null, 31001),
                        replica(1, "local-1", InstanceState.RUNNING, DesiredState.STOPPED, null, null, 31002)),
                NODES);

        assertThat(routes).singleElement().satisfies(route -> assertThat(route.backends()).isEmpty());
    }

    @Test
    void with_a_health_check_only_healthy_replicas_are_backends() {
        List<EdgeRoute> routes = EdgeRouteRules.routes(List.of(HELLO), List.of(
                replica(0, "local-1", InstanceState.RUNNING, DesiredState.RUNNING, CHECK, InstanceHealth.HEALTHY,
                        31001),
                replica(1, "local-1", InstanceState.RUNNING, DesiredState.RUNNING, CHECK, InstanceHealth.UNHEALTHY,
                        31002),
                replica(2, "local-1", InstanceState.RUNNING, DesiredState.RUNNING, CHECK, null, 31003)), NODES);

        assertThat(routes.getFirst().backends()).extracting(EdgeRoute.Backend::port).containsExactly(31001);
    }

    @Test
    void a_replica_on_an_unknown_node_or_without_a_binding_for_the_http_port_is_no_backend() {
        EdgeRouteRules.Replica elsewhere = replica(0, "gone", InstanceState.RUNNING, DesiredState.RUNNING, null, null,
                31001);
        EdgeRouteRules.Replica otherPort = new EdgeRouteRules.Replica(DEPLOYMENT, UUID.randomUUID(), 1, "local-1",
                InstanceState.RUNNING, DesiredState.RUNNING, null, null,
                new InstanceNetwork("10.0.0.2", List.of(new InstanceNetwork.PortBinding(9090, 31009))));
        EdgeRouteRules.Replica noNetwork = new EdgeRouteRules.Replica(DEPLOYMENT, UUID.randomUUID(), 2, "local-1",
                InstanceState.RUNNING, DesiredState.RUNNING, null, null, null);

        assertThat(EdgeRouteRules.routes(List.of(HELLO), List.of(elsewhere, otherPort, noNetwork), NODES).getFirst()
                .backends()).isEmpty();
    }

    @Test
    void routes_are_ordered_by_tenant_then_name_and_replicas_of_other_deployments_stay_out() {
        EdgeRouteRules.Deployment acme = new EdgeRouteRules.Deployment(UUID.randomUUID(), "acme", "web", 80);

        List<EdgeRoute> routes = EdgeRouteRules.routes(List.of(HELLO, acme),
                List.of(replica(0, "local-1", InstanceState.RUNNING, DesiredState.RUNNING, null, null, 31001)),
                NODES);

        assertThat(routes).extracting(EdgeRoute::tenant).containsExactly("acme", "globex");
        assertThat(routes.getFirst().backends()).isEmpty();
        assertThat(routes.getLast().backends()).hasSize(1);
    }

    private static EdgeRouteRules.Replica withPorts(int ordinal, String node, InstanceState state,
            DesiredState desired, InstanceNetwork.PortBinding... bindings) {
        return new EdgeRouteRules.Replica(DEPLOYMENT, UUID.randomUUID(), ordinal, node, state, desired, null, null,
                new InstanceNetwork("10.0.0.2", List.of(bindings)));
    }

    private static EdgeRouteRules.Replica replica(int ordinal, String node, InstanceState state, DesiredState desired,
            HealthCheck check, InstanceHealth health, int hostPort) {
        return new EdgeRouteRules.Replica(DEPLOYMENT, UUID.randomUUID(), ordinal, node, state, desired, check, health,
                new InstanceNetwork("10.0.0.2", List.of(new InstanceNetwork.PortBinding(8080, hostPort))));
    }
}
