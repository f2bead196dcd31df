package dev.nanofleet.node.net;

import dev.nanofleet.nodeapi.EgressPolicy;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The DNS of every tenant bridge: a UDP responder on the bridge's gateway address, port 53, that answers
 * {@code <deployment>.<tenant>.internal} from the directory control-api sent ({@link DnsAnswers}; empty for a tenant
 * without a private network, so NXDOMAIN) and forwards every other name to the node's upstream resolvers
 * ({@link DnsUpstreams}) for the instances {@link DnsForwarding} lets (REFUSED for the others). A responder answers
 * only queries from its bridge's subnet; the INPUT wall ({@link WallRules#input}) lets only that bridge's instances
 * reach it, so another tenant's instance neither reaches it nor could read the answer.
 *
 * <p>
 * Forwarding: the query goes out unchanged but for a fresh random id, from a socket of its own per bridge (an
 * ephemeral port), to one upstream; an answer is relayed only when it comes from that upstream, with that id and the
 * same question, and gets the instance's id back. At most {@value #MAX_IN_FLIGHT} queries of a bridge wait for an
 * upstream (more get SERVFAIL at once: one instance cannot exhaust the agent), each for at most
 * {@link #UPSTREAM_TIMEOUT} (then it is forgotten and the instance's resolver retries). Query names are tenant data:
 * logged at DEBUG only.
 *
 * <p>
 * Runs where the agent's JVM runs: its network stack must be the one the bridges are in (the agent on its host, or
 * entered into a node's namespace; {@link NodeNetwork} starts none when its plumbing is in another namespace); when it
 * cannot bind, the bridge has no DNS and that is logged. Thread-safe: two daemon threads per responder; the directory and the upstreams are
 * swapped whole.
 */
final class InternalDns implements AutoCloseable {

    private static final Logger LOG = System.getLogger(InternalDns.class.getName());
    static final int PORT = 53;
    static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);
    static final int MAX_IN_FLIGHT = 64;
    /** How often the relay wakes without answers, to forget queries past their time. */
    private static final int SWEEP_MILLIS = 250;
    /** An upstream's answer may be as long as EDNS lets the instance ask for. */
    private static final int MAX_ANSWER = 4096;
    private static final SecureRandom IDS = new SecureRandom();

    /** A forwarded query waiting for its upstream's answer. */
    private record Pending(byte id0, byte id1, InetSocketAddress client, InetSocketAddress upstream, byte[] question,
            long deadline) {
    }

    private record Responder(String bridge, DatagramSocket socket, DatagramSocket upstream, String tenant,
            Ipv4Subnet subnet, AtomicReference<Map<String, List<String>>> directory, Map<Integer, Pending> pending,
            AtomicBoolean busy) {
    }

    private final Map<String, Responder> responders = new ConcurrentHashMap<>();
    private final Function<String, Map<String, EgressPolicy>> instances;
    private volatile List<InetSocketAddress> upstreams = List.of();

    /** @param instances the attached instances of a bridge: address to egress policy (called for each query) */
    InternalDns(Function<String, Map<String, EgressPolicy>> instances) {
        this.instances = instances;
    }

    /** The resolvers public names are forwarded to; none: such queries get SERVFAIL. */
    void upstreams(List<InetSocketAddress> resolvers) {
        this.upstreams = List.copyOf(resolvers);
    }

    /** Serves the tenant's names on the bridge's gateway (starting the responder if needed); false if it cannot. */
    synchronized boolean serve(String bridge, String tenant, Ipv4Subnet subnet, Map<String, List<String>> names) {
        Responder r = responders.get(bridge);
        if (r != null && (!r.subnet().equals(subnet) || !r.tenant().equals(tenant))) {
            stop(bridge);
            r = null;
        }
        if (r == null) {
            DatagramSocket socket;
            DatagramSocket upstream;
            try {
                socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(subnet.host(1)), PORT));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "event=network.dns.unavailable bridge={0} tenant={1} reason=\"{2}\"", bridge,
                        tenant, e.getMessage());
                return false;
            }
            try {
                upstream = new DatagramSocket(new InetSocketAddress(0));
                upstream.setSoTimeout(SWEEP_MILLIS);
            } catch (IOException e) {
                socket.close();
                LOG.log(Level.WARNING, "event=network.dns.unavailable bridge={0} tenant={1} reason=\"{2}\"", bridge,
                        tenant, e.getMessage());
                return false;
            }
            r = new Responder(bridge, socket, upstream, tenant, subnet, new AtomicReference<>(Map.of()),
                    new ConcurrentHashMap<>(), new AtomicBoolean());
            responders.put(bridge, r);
            Responder started = r;
            Thread answering = new Thread(() -> answer(started), "dns-" + bridge);
            answering.setDaemon(true);
            answering.start();
            Thread relaying = new Thread(() -> relay(started), "dns-relay-" + bridge);
            relaying.setDaemon(true);
            relaying.start();
            LOG.log(Level.INFO, "event=network.dns.started bridge={0} tenant={1} address={2}", bridge, tenant, subnet
                    .host(1));
        }
        r.directory().set(Map.copyOf(names));
        return true;
    }

    /** Forgets the tenant's private names (its private network is gone); public names are still forwarded. */
    synchronized void clearNames(String bridge) {
        Responder r = responders.get(bridge);
        if (r != null) {
            r.directory().set(Map.of());
        }
    }

    synchronized void stop(String bridge) {
        Responder r = responders.remove(bridge);
        if (r != null) {
            r.socket().close();
            r.upstream().close();
            LOG.log(Level.INFO, "event=network.dns.stopped bridge={0} tenant={1}", bridge, r.tenant());
        }
    }

    boolean serving(String bridge) {
        return responders.containsKey(bridge);
    }

    /** The address the bridge's DNS listens on, if it has one. */
    Optional<String> address(String bridge) {
        return Optional.ofNullable(responders.get(bridge)).map(r -> r.subnet().host(1));
    }

    @Override
    public synchronized void close() {
        List.copyOf(responders.keySet()).forEach(this::stop);
    }

    private void answer(Responder r) {
        byte[] buffer = new byte[512];
        while (!r.socket().isClosed()) {
            DatagramPacket query = new DatagramPacket(buffer, buffer.length);
            try {
                r.socket().receive(query);
                InetAddress from = query.getAddress();
                if (from.getAddress().length != 4 || !r.subnet().contains(Ipv4Subnet.address(from.getHostAddress()))) {
                    continue; // not one of the bridge's instances: no answer at all
                }
                byte[] reply = switch (DnsQuery.read(query.getData(), query.getLength())) {
                    case DnsQuery.Ignored i -> null;
                    case DnsQuery.Malformed m -> DnsAnswers.bare(query.getData(), m.rcode());
                    case DnsQuery.Question q -> switch (DnsForwarding.route(q, from.getHostAddress(), instances.apply(
                            r.bridge()))) {
                        case INTERNAL -> DnsAnswers.answer(query.getData(), q, r.tenant(), r.directory().get());
                        case REFUSE -> {
                            LOG.log(Level.DEBUG, "event=network.dns.refused bridge={0} source={1} name={2}", r
                                    .bridge(), from.getHostAddress(), String.join(".", q.labels()));
                            yield DnsAnswers.refusal(query.getData(), q, DnsAnswers.REFUSED);
                        }
                        case FORWARD -> forward(r, query, q);
                    };
                };
                if (reply != null) {
                    r.socket().send(new DatagramPacket(reply, reply.length, query.getSocketAddress()));
                }
            } catch (SocketException e) {
                if (!r.socket().isClosed()) {
                    LOG.log(Level.WARNING, "event=network.dns.failed tenant={0} reason=\"{1}\"", r.tenant(), e
                            .getMessage());
                }
                return; // closed, or broken for good: the next change of the tenant's network starts it again
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "event=network.dns.error tenant={0} reason=\"{1}\"", r.tenant(), e
                        .getMessage());
            }
        }
    }

    /** Sends the query upstream; returns null (the answer comes from {@link #relay}) or SERVFAIL at once. */
    private byte[] forward(Responder r, DatagramPacket query, DnsQuery.Question q) throws IOException {
        byte[] packet = query.getData();
        List<InetSocketAddress> resolvers = upstreams;
        sweep(r);
        if (resolvers.isEmpty() || r.pending().size() >= MAX_IN_FLIGHT) {
            if (!resolvers.isEmpty() && r.busy().compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "event=network.dns.busy bridge={0} tenant={1} inFlight={2}", r.bridge(), r
                        .tenant(), r.pending().size());
            }
            return DnsAnswers.refusal(packet, q, DnsAnswers.SERVFAIL);
        }
        int id;
        do {
            id = IDS.nextInt(1 << 16);
        } while (r.pending().containsKey(id));
        InetSocketAddress upstream = resolvers.get(Math.floorMod(id, resolvers.size()));
        byte[] out = Arrays.copyOf(packet, query.getLength());
        out[0] = (byte) (id >>> 8);
        out[1] = (byte) id;
        r.pending().put(id, new Pending(packet[0], packet[1], (InetSocketAddress) query.getSocketAddress(), upstream,
                Arrays.copyOfRange(packet, DnsQuery.HEADER, q.end()), System.nanoTime() + UPSTREAM_TIMEOUT
                        .toNanos()));
        r.upstream().send(new DatagramPacket(out, out.length, upstream));
        LOG.log(Level.DEBUG, "event=network.dns.forwarded bridge={0} source={1} name={2} upstream={3}", r.bridge(),
                query.getAddress().getHostAddress(), String.join(".", q.labels()), DnsUpstreams.text(upstream));
        return null;
    }

    /** Relays upstream answers to the instances that asked. */
    private void relay(Responder r) {
        byte[] buffer = new byte[MAX_ANSWER];
        while (!r.upstream().isClosed()) {
            DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
            try {
                r.upstream().receive(answer);
            } catch (SocketTimeoutException e) {
                sweep(r);
                continue;
            } catch (IOException e) {
                if (!r.upstream().isClosed()) {
                    LOG.log(Level.WARNING, "event=network.dns.relay.failed bridge={0} reason=\"{1}\"", r.bridge(), e
                            .getMessage());
                }
                return;
            }
            try {
                byte[] data = Arrays.copyOf(answer.getData(), answer.getLength());
                Pending p = data.length < DnsQuery.HEADER ? null : r.pending().get(DnsQuery.u16(data, 0));
                // an answer counts only from the upstream asked, with the question asked: anything else is dropped
                if (p == null || !p.upstream().equals(answer.getSocketAddress()) || (data[2] & 0x80) == 0
                        || data.length < DnsQuery.HEADER + p.question().length || !Arrays.equals(data,
                                DnsQuery.HEADER, DnsQuery.HEADER + p.question().length, p.question(), 0, p
                                        .question().length)
                        || !r.pending().remove(DnsQuery.u16(data, 0), p)) {
                    continue;
                }
                data[0] = p.id0();
                data[1] = p.id1();
                r.socket().send(new DatagramPacket(data, data.length, p.client()));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "event=network.dns.relay.error bridge={0} reason=\"{1}\"", r.bridge(), e
                        .getMessage());
            }
            sweep(r);
        }
    }

    /** Forgets the queries whose upstream took too long (the instance's resolver asks again). */
    private static void sweep(Responder r) {
        long now = System.nanoTime();
        r.pending().values().removeIf(p -> now - p.deadline() > 0);
        if (r.pending().size() < MAX_IN_FLIGHT / 2) {
            r.busy().set(false);
        }
    }
}
