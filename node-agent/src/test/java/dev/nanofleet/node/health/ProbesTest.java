package dev.nanofleet.node.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.HealthChecks.Watch;
import dev.nanofleet.nodeapi.HealthCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probes against a real HTTP server and TCP listener on 127.0.0.1 (the instance's address in these tests). */
class ProbesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private final Probes probes = new Probes(new HttpProbe(), new TcpProbe(), new ExecProbe(Map.of(Isolation.SHARED,
            (id, command, timeout) -> command.get(0).equals("true")
                    ? new InstanceCommand.Outcome(true, 0, "")
                    : new InstanceCommand.Outcome(true, 1, "cat: can't open '/www/healthz': No such file\nmore"),
            Isolation.HARDWARE, InstanceCommand.unavailable(ExecProbe.NO_GUEST_AGENT))));

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/healthz", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/broken", ex -> {
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/healthz");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private Watch target(HealthCheck check, Isolation isolation, String address) {
        return new Watch(UUID.randomUUID(), 1, isolation, check, address, Instant.EPOCH);
    }

    private ProbeResult http(String path, int min, int max) {
        HealthCheck check = new HealthCheck(HealthCheck.Type.HTTP, server.getAddress().getPort(), path, min, max, null,
                5, 2, 0, 3);
        return probes.probe(target(check, Isolation.SHARED, "127.0.0.1"), TIMEOUT);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void http_passes_on_a_status_in_the_range() {
        assertThat(http("/healthz", 200, 399)).isEqualTo(ProbeResult.pass("HTTP 200 from /healthz"));
    }

    @Test
    void http_fails_on_a_status_outside_the_range_naming_it_and_the_path() {
        assertThat(http("/broken", 200, 399)).isEqualTo(ProbeResult.fail("HTTP 500 from /broken"));
        assertThat(http("/nothing-here", 200, 399)).isEqualTo(ProbeResult.fail("HTTP 404 from /nothing-here"));
    }

    @Test
    void http_without_a_status_range_takes_200_to_399() {
        assertThat(http("/moved", 0, 0).passed()).isTrue();
        assertThat(http("/broken", 0, 0).passed()).isFalse();
    }

    @Test
    void http_does_not_follow_redirects() {
        assertThat(http("/moved", 200, 299)).isEqualTo(ProbeResult.fail("HTTP 302 from /moved"));
        assertThat(http("/moved", 200, 399)).isEqualTo(ProbeResult.pass("HTTP 302 from /moved"));
    }

    @Test
    void http_gives_up_after_the_timeout() {
        HealthCheck check = new HealthCheck(HealthCheck.Type.HTTP, server.getAddress().getPort(), "/slow", 200, 399,
                null, 5, 1, 0, 3);
        long began = System.nanoTime();

        ProbeResult result = probes.probe(target(check, Isolation.SHARED, "127.0.0.1"), Duration.ofMillis(300));

        assertThat(result).isEqualTo(ProbeResult.fail("GET /slow on port " + check.port()
                + " timed out after 300 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void http_and_tcp_say_connection_refused_when_nothing_listens() throws IOException {
        int port = closedPort();
        HealthCheck http = new HealthCheck(HealthCheck.Type.HTTP, port, "/healthz", 200, 399, null, 5, 2, 0, 3);
        HealthCheck tcp = new HealthCheck(HealthCheck.Type.TCP, port, null, 0, 0, null, 5, 2, 0, 3);

        assertThat(probes.probe(target(http, Isolation.SHARED, "127.0.0.1"), TIMEOUT)).isEqualTo(ProbeResult.fail(
                "GET /healthz on port " + port + ": connection refused"));
        assertThat(probes.probe(target(tcp, Isolation.SHARED, "127.0.0.1"), TIMEOUT)).isEqualTo(ProbeResult.fail(
                "TCP connect to port " + port + ": connection refused"));
    }

    @Test
    void tcp_passes_once_a_connection_is_accepted() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            HealthCheck tcp = new HealthCheck(HealthCheck.Type.TCP, listening.getLocalPort(), null, 0, 0, null, 5, 2,
                    0, 3);

            assertThat(probes.probe(target(tcp, Isolation.HARDWARE, "127.0.0.1"), TIMEOUT).passed()).isTrue();
        }
    }

    @Test
    void an_instance_without_an_address_fails_its_network_checks_saying_so() {
        HealthCheck tcp = new HealthCheck(HealthCheck.Type.TCP, 5432, null, 0, 0, null, 5, 2, 0, 3);

        assertThat(probes.probe(target(tcp, Isolation.SHARED, null), TIMEOUT)).isEqualTo(ProbeResult.fail(
                "TCP connect to port 5432: the instance has no network address"));
    }

    @Test
    void exec_passes_on_exit_0_and_fails_with_the_code_and_the_first_line_printed() {
        HealthCheck ok = new HealthCheck(HealthCheck.Type.EXEC, 0, null, 0, 0, List.of("true"), 5, 2, 0, 3);
        HealthCheck bad = new HealthCheck(HealthCheck.Type.EXEC, 0, null, 0, 0, List.of("cat", "/www/healthz"), 5, 2,
                0, 3);

        assertThat(probes.probe(target(ok, Isolation.SHARED, null), TIMEOUT).passed()).isTrue();
        assertThat(probes.probe(target(bad, Isolation.SHARED, null), TIMEOUT)).isEqualTo(ProbeResult.fail(
                "exec cat /www/healthz exited with 1: cat: can't open '/www/healthz': No such file"));
    }

    @Test
    void exec_in_a_vm_on_a_node_without_the_exec_helper_fails_saying_it_needs_the_guest_agent() {
        HealthCheck check = new HealthCheck(HealthCheck.Type.EXEC, 0, null, 0, 0, List.of("true"), 5, 2, 0, 3);

        assertThat(probes.probe(target(check, Isolation.HARDWARE, "10.213.0.2"), TIMEOUT)).isEqualTo(ProbeResult
                .fail("exec true: exec checks in VMs need the guest agent"));
    }
}
