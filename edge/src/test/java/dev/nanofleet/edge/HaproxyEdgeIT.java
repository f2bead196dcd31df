package dev.nanofleet.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nanofleet.edge.core.AppsDomain;
import dev.nanofleet.edge.core.Backend;
import dev.nanofleet.edge.core.Certificates;
import dev.nanofleet.edge.core.CustomDomain;
import dev.nanofleet.edge.core.DeploymentRoute;
import dev.nanofleet.edge.core.EdgeListeners;
import dev.nanofleet.edge.core.RouteSync;
import dev.nanofleet.edge.core.TcpPort;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.Ports;
import dev.nanofleet.testsupport.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge's adapters against Debian's HAProxy and openssl: two replicas (HTTP servers on loopback) behind one
 * hostname over TLS signed by the local CA, a replica leaving the routes while requests flow, the 503 page, the
 * redirect from plain HTTP, and raw TCP through an edge port (added and removed by reloads). Requests go through curl, which resolves the hostname to loopback with {@code --resolve}
 * and checks the certificate against the CA's root.
 */
class HaproxyEdgeIT {

    private static final String HOST = "hello-globex.apps.localhost";

    @TempDir
    Path data;
    private final List<HttpServer> replicas = new ArrayList<>();
    private final List<ServerSocket> tcpReplicas = new ArrayList<>();
    private final List<DeploymentRoute> routes = new CopyOnWriteArrayList<>();
    private HaproxyProcess haproxy;
    private RouteSync sync;
    private volatile List<Path> certificatesInUse = List.of();
    private Path rootCertificate;
    private int httpsPort;
    private int httpPort;
    private Path pem;

    @BeforeEach
    void startTheEdge() throws Exception {
        HostTools.require("haproxy", "openssl", "curl");
        EdgeCa ca = EdgeCa.local(data);
        pem = ca.serverPem("apps.localhost");
        rootCertificate = ca.certificate();
        Path dir = data.resolve("haproxy");
        Files.createDirectories(dir);
        Path errorPage = dir.resolve("503.http");
        Files.writeString(errorPage, NoRoutePage.response("apps.localhost"));
        httpsPort = Ports.free();
        httpPort = Ports.free();
        EdgeListeners listeners = new EdgeListeners("127.0.0.1", httpsPort, httpPort, pem, errorPage,
                dir.resolve("hosts.map"), dir.resolve("certificates.list"), dir.resolve("admin.sock"));
        haproxy = new HaproxyProcess(HostTools.find("haproxy").orElseThrow(), dir, listeners.hostMap(),
                listeners.certificateList());
        Certificates certificates = new Certificates() {
            @Override
            public Path file(CustomDomain domain) throws IOException {
                return certificateFile(domain);
            }

            @Override
            public void retain(java.util.Collection<Path> inUse) {
                certificatesInUse = List.copyOf(inUse);
            }
        };
        sync = new RouteSync(() -> List.copyOf(routes), certificates, haproxy, new AppsDomain("apps.localhost"),
                listeners);
        haproxy.start(sync.initial());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (haproxy != null) {
            haproxy.close();
        }
        replicas.forEach(r -> r.stop(0));
        for (ServerSocket server : tcpReplicas) {
            try {
                server.close();
            } catch (IOException e) {
                // nothing to keep
            }
        }
    }

    @Test
    void two_replicas_share_requests_over_tls_and_a_replica_that_leaves_costs_no_failed_request() throws Exception {
        Backend one = replica("one");
        Backend two = replica("two");
        route(one, two);
        assertThat(sync.pass().outcome()).isEqualTo(RouteSync.Outcome.APPLIED);

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // a 503 is the worker the reload replaces, still finishing: wait for the new one
            answers.add(Await.value(Duration.ofSeconds(10), "an answer of a replica through the edge",
                    () -> curl("https://" + HOST + ":" + httpsPort + "/").filter(a -> a.startsWith("200 "))
                            .orElse(null)));
        }
        assertThat(answers).contains("200 one", "200 two");

        // requests flow while the route loses replica one (the reload) and replica one stops
        List<String> during = new CopyOnWriteArrayList<>();
        AtomicBoolean flowing = new AtomicBoolean(true);
        Thread load = Thread.ofPlatform().start(() -> {
            while (flowing.get()) {
                during.add(curl("https://" + HOST + ":" + httpsPort + "/").orElse("no answer"));
            }
        });
        Await.until(Duration.ofSeconds(10), "requests flowing", () -> during.size() >= 3);
        route(two);
        assertThat(sync.pass().outcome()).isEqualTo(RouteSync.Outcome.APPLIED);
        replicas.getFirst().stop(0);
        int seen = during.size();
        Await.until(Duration.ofSeconds(20), "more requests after the reload", () -> during.size() >= seen + 10);
        flowing.set(false);
        load.join();

        assertThat(during).allMatch(a -> a.startsWith("200 "));
        // one request at a time: the one in flight when replica one stopped may still have been its answer
        assertThat(during.subList(seen + 1, during.size())).allMatch(a -> a.equals("200 two"));
    }

    @Test
    void a_custom_domain_is_served_with_its_own_certificate_beside_the_apps_domain_name() throws Exception {
        Backend one = replica("one");
        routes.clear();
        routes.add(new DeploymentRoute("0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11", "globex", "hello", List.of(one),
                List.of(new CustomDomain("shop.example.test", "ab".repeat(32)))));
        assertThat(sync.pass().outcome()).isEqualTo(RouteSync.Outcome.APPLIED);
        Path testCa = Files.writeString(data.resolve("test-ca.crt"), TestCertificates.CA.certificate());

        // the tenant's certificate for its name (checked against the CA that signed it), the wildcard for the other
        assertThat(Await.value(Duration.ofSeconds(10), "an answer for the custom domain",
                () -> curl("https://shop.example.test:" + httpsPort + "/", testCa).orElse(null))).isEqualTo("200 one");
        assertThat(curl("https://" + HOST + ":" + httpsPort + "/")).hasValue("200 one");
        // the custom domain's name does not get the apps domain's certificate, nor the reverse
        assertThat(curl("https://shop.example.test:" + httpsPort + "/", rootCertificate)).isEmpty();
        assertThat(curl("https://" + HOST + ":" + httpsPort + "/", testCa)).isEmpty();

        routes.clear();
        routes.add(new DeploymentRoute("0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11", "globex", "hello", List.of(one)));
        assertThat(sync.pass().outcome()).isEqualTo(RouteSync.Outcome.APPLIED);
        // detached: its certificate is no longer served (the name gets the wildcard one, which does not name it)
        Await.until(Duration.ofSeconds(10), "the custom domain's certificate no longer served",
                () -> curl("https://shop.example.test:" + httpsPort + "/", testCa).isEmpty());
        assertThat(curl("https://" + HOST + ":" + httpsPort + "/")).hasValue("200 one");
        assertThat(certificatesInUse).isEmpty();
    }

    @Test
    void a_certificate_renewed_in_place_is_served_after_a_reload() throws Exception {
        String url = "https://nothing.apps.localhost:" + httpsPort + "/";
        assertThat(curl(url)).hasValueSatisfying(answer -> assertThat(answer).startsWith("503 "));
        // the renewal: the same file now holds a certificate from another CA, as a renewal tool would write it
        Path renewal = data.resolve("renewal");
        Files.createDirectories(renewal);
        Path caCert = renewal.resolve("ca.crt");
        Path caKey = renewal.resolve("ca.key");
        new Openssl(renewal.resolve("openssl.log")).run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                caKey.toString(), "-out", caCert.toString(), "-days", "30", "-subj", "/CN=Renewing CA", "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Files.copy(EdgeCa.operators(renewal, caCert, caKey).serverPem("apps.localhost"), pem,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        haproxy.reload();

        Await.until(Duration.ofSeconds(20), "the renewed certificate served",
                () -> curl(url, caCert).filter(answer -> answer.startsWith("503 ")).isPresent());
        assertThat(curl(url)).as("the old CA no longer vouches for what is served").isEmpty();
    }

    @Test
    void a_hostname_without_a_serving_replica_answers_the_503_page() throws Exception {
        route();
        sync.pass();

        assertThat(curl("https://" + HOST + ":" + httpsPort + "/")).hasValueSatisfying(answer -> assertThat(answer)
                .startsWith("503 ").contains("no replica serves this address"));
        assertThat(curl("https://other-acme.apps.localhost:" + httpsPort + "/")).hasValueSatisfying(
                answer -> assertThat(answer).startsWith("503 "));
    }

    @Test
    void plain_http_redirects_to_the_same_url_over_https() throws Exception {
        Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                "--resolve", HOST + ":" + httpPort + ":127.0.0.1", "http://" + HOST + ":" + httpPort + "/a?b=1")
                .start();
        String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(answer).isEqualTo("308 https://" + HOST + ":" + httpsPort + "/a?b=1");
    }

    @Test
    void a_raw_tcp_connection_to_an_edge_port_reaches_a_replica_and_reloads_add_and_remove_tcp_ports()
            throws Exception {
        Backend db = tcpReplica("db one");
        Backend cache = tcpReplica("cache one");
        int dbPort = Ports.free();
        int cachePort = Ports.free();
        tcpRoute(new TcpPort(5432, dbPort, List.of(db)));
        assertThat(sync.pass().outcome()).isEqualTo(RouteSync.Outcome.APPLIED);

        assertThat(Await.value(Duration.ofSeconds(10), "the tcp replica's greeting through the edge",
                () -> tcpGreeting(dbPort).orElse(null))).isEqualTo("db one");

        // a reload adds a tcp port and removes the other: the new one answers, the old one is no longer listened on
        tcpRoute(new TcpPort(6379, cachePort, List.of(cache)));
        assertThat(sync.pass().outcome()).isEqualTo(RouteSync.Outcome.APPLIED);
        assertThat(Await.value(Duration.ofSeconds(10), "the added tcp port's greeting",
                () -> tcpGreeting(cachePort).orElse(null))).isEqualTo("cache one");
        Await.until(Duration.ofSeconds(10), "the removed tcp port refusing connections",
                () -> tcpGreeting(dbPort).isEmpty());
        // the HTTPS listener is unaffected by the tcp ports beside it
        assertThat(curl("https://" + HOST + ":" + httpsPort + "/")).hasValueSatisfying(a -> assertThat(a)
                .startsWith("503 "));
    }

    @Test
    void a_tcp_port_whose_replicas_do_not_serve_refuses_connections() throws Exception {
        int edgePort = Ports.free();
        tcpRoute(new TcpPort(5432, edgePort, List.of()));
        assertThat(sync.pass().outcome()).isEqualTo(RouteSync.Outcome.APPLIED);

        assertThat(tcpGreeting(edgePort)).isEmpty();
    }

    private void tcpRoute(TcpPort... ports) {
        routes.clear();
        routes.add(new DeploymentRoute("0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11", "globex", "db", List.of(), List.of(),
                List.of(ports)));
    }

    /** A replica speaking plain TCP: it greets each connection with one line, as a database or cache server does. */
    private Backend tcpReplica(String greeting) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        tcpReplicas.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    client.getOutputStream().write((greeting + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // closed at the end of the test, or the edge's check closed its connection first
                }
            }
        });
        return new Backend("127.0.0.1", server.getLocalPort());
    }

    /** The first line a connection to the edge port reads; empty when the connection is refused or closed at once. */
    private static java.util.Optional<String> tcpGreeting(int edgePort) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", edgePort), 2000);
            socket.setSoTimeout(5000);
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            return java.util.Optional.ofNullable(line);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private void route(Backend... backends) {
        routes.clear();
        routes.add(new DeploymentRoute("0b9c7c52-1d6e-4f5e-9a43-3b1f1c0d2e11", "globex", "hello",
                List.of(backends)));
    }

    private Backend replica(String answer) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", exchange -> {
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        replicas.add(server);
        return new Backend("127.0.0.1", server.getAddress().getPort());
    }

    /** The custom domains' certificate as control-api would give it: the test certificate, written once per name. */
    private Path certificateFile(CustomDomain domain) throws IOException {
        Path file = data.resolve("certificates").resolve(domain.hostname() + ".pem");
        Files.createDirectories(file.getParent());
        Files.writeString(file, TestCertificates.SHOP.certificate() + TestCertificates.SHOP.privateKey());
        return file;
    }

    private java.util.Optional<String> curl(String url) {
        return curl(url, rootCertificate);
    }

    /** "STATUS BODY" through the edge, checked against {@code ca}; empty when curl got no answer. */
    private java.util.Optional<String> curl(String url, Path ca) {
        try {
            int port = Integer.parseInt(url.replaceAll("^https?://[^:]+:(\\d+)/.*$", "$1"));
            String host = url.replaceAll("^https?://([^:/]+).*$", "$1");
            Process curl = new ProcessBuilder("curl", "-s", "--max-time", "5", "--cacert", ca.toString(),
                    "--resolve", host + ":" + port + ":127.0.0.1", "-w", "\n%{http_code}", url).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (curl.waitFor() != 0) {
                return java.util.Optional.empty();
            }
            int newline = out.lastIndexOf('\n');
            return java.util.Optional.of(out.substring(newline + 1) + " " + out.substring(0, newline));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }
}
