package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.testsupport.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bridge's DNS on real sockets, without a bridge: the responder listens on {@code 127.53.0.1:53} (the loopback
 * network holds every 127/8 address), "instances" are client sockets bound to other addresses of
 * {@code 127.53.0.0/24}, and the upstream is a tiny resolver of the test on {@code 127.0.0.1}. Port 53 needs root.
 */
class InternalDnsIT {

    private static final String BRIDGE = "nfb-dnstest0";
    private static final Ipv4Subnet SUBNET = Ipv4Subnet.parse("127.53.0.0/24");
    private static final String ALLOWED = "127.53.0.2";
    private static final String DENIED = "127.53.0.3";
    private static final String STRANGER = "127.53.0.99";
    private static final String ANSWER = "198.51.100.77";

    private InternalDns dns;
    private DatagramSocket upstream;
    private final List<DatagramPacket> asked = new CopyOnWriteArrayList<>();
    private final List<DatagramSocket> clients = new ArrayList<>();

    @BeforeEach
    void startIt() throws IOException {
        NodeHost.require();
        upstream = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        Thread t = new Thread(this::resolve, "test-upstream");
        t.setDaemon(true);
        t.start();
        dns = new InternalDns(bridge -> bridge.equals(BRIDGE)
                ? Map.of(ALLOWED, EgressPolicy.ALLOW_ALL, DENIED, EgressPolicy.DENY_ALL)
                : Map.of());
        dns.upstreams(List.of((InetSocketAddress) upstream.getLocalSocketAddress()));
        assertThat(dns.serve(BRIDGE, "globex", SUBNET, Map.of("web", List.of("10.192.3.2")))).isTrue();
    }

    @AfterEach
    void stopIt() {
        clients.forEach(DatagramSocket::close);
        if (dns != null) {
            dns.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void a_public_name_is_forwarded_for_an_allowed_instance_under_another_id_and_the_answer_relayed_with_its_own()
            throws IOException {
        byte[] answer = ask(ALLOWED, query(0x4242, "svc.example.test"), Duration.ofSeconds(3));

        assertThat(answer).startsWith((byte) 0x42, (byte) 0x42);
        assertThat(DnsAnswersTest.rcode(answer)).isEqualTo(DnsAnswers.NOERROR);
        assertThat(DnsAnswersTest.addresses(answer)).containsExactly(ANSWER);
        assertThat(asked).hasSize(1);
        assertThat(Arrays.copyOfRange(asked.getFirst().getData(), 2, asked.getFirst().getLength())).as(
                "the same query but for its id").isEqualTo(
                        Arrays.copyOfRange(query(0x4242, "svc.example.test"), 2,
                                query(0x4242, "svc.example.test").length));
    }

    @Test
    void a_deny_all_instance_and_an_address_no_instance_has_are_refused_without_asking_upstream()
            throws IOException {
        for (String source : List.of(DENIED, STRANGER)) {
            byte[] answer = ask(source, query(0x0101, "svc.example.test"), Duration.ofSeconds(3));

            assertThat(answer).as(source).startsWith((byte) 0x01, (byte) 0x01);
            assertThat(DnsAnswersTest.rcode(answer)).as(source).isEqualTo(DnsAnswers.REFUSED);
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void internal_names_are_answered_here_for_every_instance_and_never_forwarded() throws IOException {
        assertThat(DnsAnswersTest.addresses(ask(DENIED, query(7, "web.globex.internal"), Duration.ofSeconds(3))))
                .containsExactly("10.192.3.2");
        assertThat(DnsAnswersTest.rcode(ask(ALLOWED, query(8, "db.globex.internal"), Duration.ofSeconds(3))))
                .isEqualTo(DnsAnswers.NXDOMAIN);
        dns.clearNames(BRIDGE);
        assertThat(DnsAnswersTest.rcode(ask(ALLOWED, query(9, "web.globex.internal"), Duration.ofSeconds(3))))
                .as("the private network gone").isEqualTo(DnsAnswers.NXDOMAIN);
        assertThat(asked).isEmpty();
    }

    @Test
    void a_source_outside_the_bridges_subnet_gets_no_answer() throws IOException {
        assertThat(askOrNull("127.0.0.1", query(1, "svc.example.test"), Duration.ofMillis(500))).isNull();
        assertThat(asked).isEmpty();
    }

    @Test
    void without_upstreams_a_public_name_fails_at_once() throws IOException {
        dns.upstreams(List.of());

        assertThat(DnsAnswersTest.rcode(ask(ALLOWED, query(3, "svc.example.test"), Duration.ofSeconds(3))))
                .isEqualTo(DnsAnswers.SERVFAIL);
    }

    @Test
    void queries_waiting_for_upstream_are_bounded_per_bridge_and_forgotten_after_their_time() throws IOException {
        DatagramSocket client = client(ALLOWED);
        for (int i = 0; i < InternalDns.MAX_IN_FLIGHT; i++) {
            send(client, query(i, "slow.example.test"));
        }
        Await.until(Duration.ofSeconds(5), "every query asked upstream",
                () -> asked.size() == InternalDns.MAX_IN_FLIGHT);

        byte[] refused = ask(ALLOWED, query(0x7777, "svc.example.test"), Duration.ofSeconds(3));
        assertThat(refused).as("one too many").startsWith((byte) 0x77, (byte) 0x77);
        assertThat(DnsAnswersTest.rcode(refused)).isEqualTo(DnsAnswers.SERVFAIL);
        assertThat(asked).hasSize(InternalDns.MAX_IN_FLIGHT);

        // past the upstream timeout the waiting queries are forgotten and there is room again
        byte[] answered = Await.value(Duration.ofSeconds(10), "room again", () -> {
            byte[] a = ask(ALLOWED, query(0x7878, "svc.example.test"), Duration.ofSeconds(3));
            return DnsAnswersTest.rcode(a) == DnsAnswers.NOERROR ? a : null;
        });
        assertThat(DnsAnswersTest.addresses(answered)).containsExactly(ANSWER);
    }

    /** The test's upstream: {@code svc.example.test} is {@value #ANSWER}; {@code slow...} never gets an answer. */
    private void resolve() {
        byte[] buffer = new byte[512];
        while (!upstream.isClosed()) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                upstream.receive(p);
                asked.add(new DatagramPacket(Arrays.copyOf(p.getData(), p.getLength()), p.getLength()));
                byte[] q = Arrays.copyOf(p.getData(), p.getLength());
                DnsQuery.Question question = (DnsQuery.Question) DnsQuery.read(q, q.length);
                if (question.labels().getFirst().equals("slow")) {
                    continue;
                }
                byte[] a = answerA(q, question.end(), ANSWER);
                upstream.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** An answer to the query with one A record (the name a pointer to the question's). */
    static byte[] answerA(byte[] query, int questionEnd, String address) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{query[0], query[1], (byte) (0x80 | (query[2] & 0x01)), (byte) 0x80, 0, 1, 0, 1, 0, 0,
                0, 0});
        out.write(query, 12, questionEnd - 12);
        int a = Ipv4Subnet.address(address);
        out.writeBytes(
                new byte[]{(byte) 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, (byte) (a >>> 24), (byte) (a >>> 16),
                        (byte) (a >>> 8), (byte) a});
        return out.toByteArray();
    }

    private byte[] ask(String from, byte[] query, Duration wait) throws IOException {
        byte[] answer = askOrNull(from, query, wait);
        assertThat(answer).as("an answer to %s", from).isNotNull();
        return answer;
    }

    private byte[] askOrNull(String from, byte[] query, Duration wait) throws IOException {
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(from, 0))) {
            client.setSoTimeout((int) wait.toMillis());
            send(client, query);
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            try {
                client.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return Arrays.copyOf(p.getData(), p.getLength());
        }
    }

    private DatagramSocket client(String from) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, 0));
        clients.add(s);
        return s;
    }

    private static void send(DatagramSocket client, byte[] query) throws IOException {
        client.send(new DatagramPacket(query, query.length, InetAddress.getByName(SUBNET.host(1)), InternalDns.PORT));
    }

    /** An A query with the id, recursion desired. */
    private static byte[] query(int id, String name) {
        byte[] q = DnsAnswersTest.query(name, DnsAnswers.TYPE_A);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id >>> 8);
        out.write(id);
        out.write(q, 2, q.length - 2);
        return out.toByteArray();
    }
}
