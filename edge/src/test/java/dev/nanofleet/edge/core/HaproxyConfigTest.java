package dev.nanofleet.edge.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaproxyConfigTest {

    static final EdgeListeners LISTENERS = new EdgeListeners("127.0.0.1", 18443, 18088, Path.of("/d/ca/edge.pem"),
            Path.of("/d/haproxy/503.http"), Path.of("/d/haproxy/hosts.map"), Path.of("/d/haproxy/certificates.list"),
            Path.of("/d/haproxy/admin.sock"));

    private static final RouteTable TWO_REPLICAS = RouteTable.of(List.of(new DeploymentRoute(
            "0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11", "globex", "hello",
            List.of(new Backend("10.230.0.11", 31001), new Backend("10.230.0.12", 31002)))),
            new AppsDomain("apps.localhost"));

    @Test
    void each_route_is_a_backend_balancing_over_its_replicas_with_checks() {
        HaproxyConfig.Rendered rendered = HaproxyConfig.render(TWO_REPLICAS, LISTENERS);

        assertThat(rendered.config()).contains("""
                backend d-0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11
                    balance roundrobin
                    server r0 10.230.0.11:31001 check inter 1s fall 1 rise 1
                    server r1 10.230.0.12:31002 check inter 1s fall 1 rise 1
                """);
        assertThat(rendered.hostMap())
                .contains("hello-globex.apps.localhost d-0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11\n");
    }

    @Test
    void tls_is_terminated_with_the_wildcard_certificate_and_hosts_are_looked_up_in_the_map() {
        String config = HaproxyConfig.render(TWO_REPLICAS, LISTENERS).config();

        assertThat(config).contains(
                "bind 127.0.0.1:18443 ssl crt /d/ca/edge.pem crt-list /d/haproxy/certificates.list alpn http/1.1")
                .contains("use_backend %[req.hdr(host),field(1,:),lower,map(/d/haproxy/hosts.map,no-route)]");
    }

    @Test
    void plain_http_redirects_to_https_on_the_edges_https_port() {
        assertThat(HaproxyConfig.render(TWO_REPLICAS, LISTENERS).config()).contains("bind 127.0.0.1:18088\n")
                .contains("http-request redirect location https://%[req.hdr(host),field(1,:)]:18443"
                        + "%[capture.req.uri] code 308");
    }

    @Test
    void a_request_no_replica_serves_gets_the_503_page() {
        HaproxyConfig.Rendered rendered = HaproxyConfig.render(RouteTable.empty(), LISTENERS);

        assertThat(rendered.config()).contains("errorfile 503 /d/haproxy/503.http").contains("backend no-route\n")
                .doesNotContain("    server r");
        assertThat(rendered.hostMap()).doesNotContain("apps.localhost");
    }

    @Test
    void a_request_to_a_replica_that_just_stopped_is_retried_on_another() {
        assertThat(HaproxyConfig.render(TWO_REPLICAS, LISTENERS).config()).contains("retries 3")
                .contains("option redispatch 1").contains("retry-on conn-failure empty-response");
    }

    @Test
    void listeners_hand_over_on_reload_through_the_admin_socket() {
        assertThat(HaproxyConfig.render(TWO_REPLICAS, LISTENERS).config())
                .contains("stats socket /d/haproxy/admin.sock mode 600 level admin expose-fd listeners");
    }

    @Test
    void the_same_table_renders_the_same_text() {
        assertThat(HaproxyConfig.render(TWO_REPLICAS, LISTENERS))
                .isEqualTo(HaproxyConfig.render(TWO_REPLICAS, LISTENERS));
    }

    @Test
    void an_ipv6_bind_address_is_bracketed() {
        EdgeListeners v6 = new EdgeListeners("::1", 443, 80, LISTENERS.certificate(), LISTENERS.errorPage(),
                LISTENERS.hostMap(), LISTENERS.certificateList(), LISTENERS.adminSocket());

        assertThat(HaproxyConfig.render(RouteTable.empty(), v6).config()).contains("bind [::1]:443 ssl");
    }

    @Test
    void a_custom_domain_maps_to_its_deployments_one_backend_and_its_certificate_is_listed_by_name() {
        DeploymentRoute shop = new DeploymentRoute("0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11", "globex", "hello",
                List.of(new Backend("10.230.0.11", 31001)),
                List.of(new CustomDomain("www.shop.example.test", "ab".repeat(32)),
                        new CustomDomain("shop.example.test", "cd".repeat(32))));
        RouteTable table = RouteTable.of(List.of(shop), new AppsDomain("apps.localhost"),
                java.util.Map.of("shop.example.test", Path.of("/d/certificates/shop.pem"), "www.shop.example.test",
                        Path.of("/d/certificates/www.pem")));

        HaproxyConfig.Rendered rendered = HaproxyConfig.render(table, LISTENERS);

        assertThat(rendered.config()).containsOnlyOnce("backend d-0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11\n")
                .contains("bind 127.0.0.1:18443 ssl crt /d/ca/edge.pem crt-list /d/haproxy/certificates.list alpn"
                        + " http/1.1\n");
        assertThat(rendered.hostMap()).contains("""
                hello-globex.apps.localhost d-0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11
                shop.example.test d-0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11
                www.shop.example.test d-0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11
                """);
        assertThat(rendered.certificateList()).endsWith("""
                /d/certificates/shop.pem [alpn http/1.1] shop.example.test
                /d/certificates/www.pem [alpn http/1.1] www.shop.example.test
                """).doesNotContain("apps.localhost");
    }

    private static final RouteTable WITH_TCP = RouteTable.of(List.of(new DeploymentRoute(
            "0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11", "globex", "db", List.of(), List.of(),
            List.of(new TcpPort(5432, 20001, List.of(new Backend("10.230.0.12", 31002),
                    new Backend("10.230.0.11", 31001))), new TcpPort(6379, 20000,
                            List.of(new Backend("10.230.0.11",
                                    31003)))))),
            new AppsDomain("apps.localhost"));

    @Test
    void a_tcp_port_is_a_tcp_frontend_on_its_edge_port_balancing_by_least_connections_over_checked_replicas() {
        String config = HaproxyConfig.render(WITH_TCP, LISTENERS).config();

        assertThat(config).contains("""
                # deployment 0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11 port 5432
                frontend t-20001
                    bind 127.0.0.1:20001
                    default_backend t-20001

                backend t-20001
                    balance leastconn
                    server r0 10.230.0.11:31001 check inter 1s fall 1 rise 1
                    server r1 10.230.0.12:31002 check inter 1s fall 1 rise 1
                """);
        assertThat(config.indexOf("frontend t-20000")).isLessThan(config.indexOf("frontend t-20001"));
        // the deployment has no HTTP backend: its hostname is no route
        assertThat(HaproxyConfig.render(WITH_TCP, LISTENERS).hostMap()).doesNotContain("db-globex");
    }

    @Test
    void tcp_sections_follow_defaults_of_their_own_with_long_timeouts_and_retries_on_another_replica() {
        String config = HaproxyConfig.render(WITH_TCP, LISTENERS).config();
        String tcp = config.substring(config.indexOf("defaults tcp\n"));

        assertThat(config.indexOf("defaults tcp\n")).isGreaterThan(config.indexOf("backend no-route"));
        assertThat(tcp).contains("    mode tcp\n").contains("    option tcplog\n").contains("timeout client 1h")
                .contains("timeout server 1h").contains("retries 3").contains("option redispatch 1")
                .doesNotContain("retry-on").doesNotContain("httplog").doesNotContain("errorfile");
    }

    @Test
    void without_tcp_ports_there_is_no_tcp_section() {
        assertThat(HaproxyConfig.render(TWO_REPLICAS, LISTENERS).config()).doesNotContain("mode tcp")
                .doesNotContain("frontend t-");
    }

    @Test
    void the_same_tcp_ports_render_the_same_text_whatever_order_they_come_in() {
        RouteTable reversed = RouteTable.of(List.of(new DeploymentRoute("0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11",
                "globex", "db", List.of(), List.of(),
                List.of(new TcpPort(6379, 20000, List.of(new Backend("10.230.0.11", 31003))),
                        new TcpPort(5432, 20001, List.of(new Backend("10.230.0.11", 31001),
                                new Backend("10.230.0.12", 31002)))))),
                new AppsDomain("apps.localhost"));

        assertThat(HaproxyConfig.render(reversed, LISTENERS)).isEqualTo(HaproxyConfig.render(WITH_TCP, LISTENERS));
    }
}
