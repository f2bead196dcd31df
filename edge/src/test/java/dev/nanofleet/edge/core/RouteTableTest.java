package dev.nanofleet.edge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final AppsDomain DOMAIN = new AppsDomain("apps.localhost");

    @Test
    void a_custom_domain_with_its_certificate_routes_to_its_deployment_and_without_one_it_is_left_out() {
        Backend replica = new Backend("10.0.0.1", 31001);
        DeploymentRoute web = new DeploymentRoute("d1", "globex", "web", List.of(replica),
                List.of(new CustomDomain("Shop.Example.Test", "aa"), new CustomDomain("www.example.test", "bb")));

        RouteTable table = RouteTable.of(List.of(web), DOMAIN,
                Map.of("shop.example.test", Path.of("/c/shop.pem")));

        assertThat(table.routes()).containsExactly(
                new Route("shop.example.test", "d1", List.of(replica), Optional.of(Path.of("/c/shop.pem"))),
                new Route("web-globex.apps.localhost", "d1", List.of(replica)));
    }

    @Test
    void a_custom_domain_never_takes_a_name_of_the_apps_domain_nor_routes_without_a_serving_replica() {
        Backend replica = new Backend("10.0.0.1", 31001);
        DeploymentRoute acme = new DeploymentRoute("d0", "acme", "api", List.of(replica),
                List.of(new CustomDomain("web-globex.apps.localhost", "aa")));
        DeploymentRoute idle = new DeploymentRoute("d2", "globex", "idle", List.of(),
                List.of(new CustomDomain("idle.example.test", "bb")));
        DeploymentRoute web = new DeploymentRoute("d1", "globex", "web", List.of(new Backend("10.0.0.2", 1)));

        RouteTable table = RouteTable.of(List.of(acme, idle, web), DOMAIN, Map.of("web-globex.apps.localhost",
                Path.of("/c/a.pem"), "idle.example.test", Path.of("/c/b.pem")));

        assertThat(table.routes()).extracting(Route::hostname, Route::deploymentId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("api-acme.apps.localhost", "d0"),
                org.assertj.core.groups.Tuple.tuple("web-globex.apps.localhost", "d1"));
    }

    @Test
    void each_deployment_with_a_serving_replica_is_a_route_ordered_by_hostname() {
        RouteTable table = RouteTable.of(List.of(
                new DeploymentRoute("d2", "globex", "web", List.of(new Backend("10.230.0.12", 31002))),
                new DeploymentRoute("d1", "acme", "api", List.of(new Backend("10.230.0.11", 31001)))), DOMAIN);

        assertThat(table.routes()).extracting(Route::hostname)
                .containsExactly("api-acme.apps.localhost", "web-globex.apps.localhost");
        assertThat(table.backends()).isEqualTo(2);
    }

    @Test
    void a_deployment_without_a_serving_replica_is_no_route_so_it_answers_503() {
        RouteTable table = RouteTable.of(List.of(new DeploymentRoute("d1", "acme", "api", List.of())), DOMAIN);

        assertThat(table.routes()).isEmpty();
    }

    @Test
    void backends_are_ordered_and_deduplicated_so_the_same_replicas_render_the_same_configuration() {
        Backend a = new Backend("10.230.0.11", 31001);
        Backend b = new Backend("10.230.0.12", 31002);

        RouteTable one = RouteTable.of(List.of(new DeploymentRoute("d1", "acme", "api", List.of(b, a, a))), DOMAIN);
        RouteTable other = RouteTable.of(List.of(new DeploymentRoute("d1", "acme", "api", List.of(a, b))), DOMAIN);

        assertThat(one).isEqualTo(other);
        assertThat(one.routes().getFirst().backends()).containsExactly(a, b);
    }

    @Test
    void two_deployments_that_would_share_a_hostname_keep_the_first_by_id() {
        RouteTable table = RouteTable.of(List.of(
                new DeploymentRoute("d2", "acme", "API", List.of(new Backend("10.0.0.2", 2))),
                new DeploymentRoute("d1", "acme", "api", List.of(new Backend("10.0.0.1", 1)))), DOMAIN);

        assertThat(table.routes()).singleElement().extracting(Route::deploymentId).isEqualTo("d1");
    }

    @Test
    void a_backend_must_be_an_ip_address_and_a_tcp_port() {
        assertThatThrownBy(() -> new Backend("example.com", 80)).hasMessageContaining("IP address");
        assertThatThrownBy(() -> new Backend("10.0.0.1\n    server x", 80)).hasMessageContaining("IP address");
        assertThatThrownBy(() -> new Backend("10.0.0.1", 0)).hasMessageContaining("not a TCP port");
        assertThatThrownBy(() -> new Backend("10.0.0.1", 65536)).hasMessageContaining("not a TCP port");
        assertThat(new Backend("fd00::1", 80)).hasToString("[fd00::1]:80");
    }

    @Test
    void a_tcp_port_with_a_serving_replica_is_a_tcp_route_and_one_without_is_none_so_connections_are_refused() {
        Backend a = new Backend("10.0.0.1", 31001);
        DeploymentRoute db = new DeploymentRoute("d1", "globex", "db", List.of(), List.of(),
                List.of(new TcpPort(5432, 20001, List.of(a)), new TcpPort(6379, 20000, List.of())));

        RouteTable table = RouteTable.of(List.of(db), DOMAIN);

        assertThat(table.routes()).isEmpty();
        assertThat(table.tcpRoutes()).containsExactly(new TcpRoute(20001, "d1", 5432, List.of(a)));
        assertThat(table.backends()).isEqualTo(1);
    }

    @Test
    void an_edge_port_listed_twice_keeps_the_first_deployment_by_id_and_the_edges_own_ports_are_never_tcp_routes() {
        Backend a = new Backend("10.0.0.1", 31001);
        Backend b = new Backend("10.0.0.2", 31002);
        DeploymentRoute second = new DeploymentRoute("d2", "globex", "db", List.of(), List.of(),
                List.of(new TcpPort(5432, 20000, List.of(b)), new TcpPort(5433, 18443, List.of(b))));
        DeploymentRoute first = new DeploymentRoute("d1", "acme", "db", List.of(), List.of(),
                List.of(new TcpPort(5432, 20000, List.of(a))));

        RouteTable table = RouteTable.of(List.of(second, first), DOMAIN, Map.of(), java.util.Set.of(18443, 18088));

        assertThat(table.tcpRoutes()).containsExactly(new TcpRoute(20000, "d1", 5432, List.of(a)));
    }

    @Test
    void a_port_outside_1_to_65535_is_refused_before_it_reaches_the_configuration() {
        assertThatThrownBy(() -> new TcpPort(5432, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcpPort(70000, 20000, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
