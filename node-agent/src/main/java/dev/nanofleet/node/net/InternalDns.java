package dev.nanofleet.node.net;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The DNS of tenants' private networks: on each tenant bridge with a private network, a UDP responder on the bridge's
 * gateway address, port 53, that answers {@code <deployment>.<tenant>.internal} from the directory control-api sent
 * ({@link DnsAnswers}). A responder answers only its own tenant's names and only queries from its bridge's subnet;
 * the INPUT rules ({@link PrivatePlan#inputRules}) let only that bridge's instances reach it, so another tenant's
 * instance neither reaches it nor could read the answer.
 *
 * <p>
 * Runs where the agent's JVM runs: its network stack must be the one the bridges are in (the agent on its host, or
 * entered into a node's namespace); when it cannot bind (a test whose plumbing is in another namespace), the bridge
 * has no DNS and that is logged. Thread-safe: one daemon thread per responder; the directory is swapped whole.
 */
final class InternalDns implements AutoCloseable {

    private static final Logger LOG = System.getLogger(InternalDns.class.getName());
    static final int PORT = 53;

    private record Responder(DatagramSocket socket, String tenant, Ipv4Subnet subnet,
            AtomicReference<Map<String, List<String>>> directory) {
    }

    private final Map<String, Responder> responders = new ConcurrentHashMap<>();

    /** Serves the tenant's names on the bridge's gateway (starting the responder if needed); false if it cannot. */
    synchronized boolean serve(String bridge, String tenant, Ipv4Subnet subnet, Map<String, List<String>> names) {
        Responder r = responders.get(bridge);
        if (r != null && (!r.subnet().equals(subnet) || !r.tenant().equals(tenant))) {
            stop(bridge);
            r = null;
        }
        if (r == null) {
            DatagramSocket socket;
            try {
                socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(subnet.host(1)), PORT));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "event=network.dns.unavailable bridge={0} tenant={1} reason=\"{2}\"", bridge,
                        tenant, e.getMessage());
                return false;
            }
            r = new Responder(socket, tenant, subnet, new AtomicReference<>(Map.of()));
            responders.put(bridge, r);
            Responder started = r;
            Thread t = new Thread(() -> answer(started), "dns-" + bridge);
            t.setDaemon(true);
            t.start();
            LOG.log(Level.INFO, "event=network.dns.started bridge={0} tenant={1} address={2}", bridge, tenant, subnet
                    .host(1));
        }
        r.directory().set(Map.copyOf(names));
        return true;
    }

    synchronized void stop(String bridge) {
        Responder r = responders.remove(bridge);
        if (r != null) {
            r.socket().close();
            LOG.log(Level.INFO, "event=network.dns.stopped bridge={0} tenant={1}", bridge, r.tenant());
        }
    }

    boolean serving(String bridge) {
        return responders.containsKey(bridge);
    }

    @Override
    public synchronized void close() {
        List.copyOf(responders.keySet()).forEach(this::stop);
    }

    private static void answer(Responder r) {
        byte[] buffer = new byte[512];
        while (!r.socket().isClosed()) {
            DatagramPacket query = new DatagramPacket(buffer, buffer.length);
            try {
                r.socket().receive(query);
                InetAddress from = query.getAddress();
                byte[] raw = from.getAddress();
                if (raw.length != 4 || !r.subnet().contains(Ipv4Subnet.address(from.getHostAddress()))) {
                    continue; // not one of the bridge's instances: no answer at all
                }
                Optional<byte[]> reply = DnsAnswers.answer(query.getData(), query.getLength(), r.tenant(), r
                        .directory().get());
                if (reply.isPresent()) {
                    r.socket().send(new DatagramPacket(reply.get(), reply.get().length, query.getSocketAddress()));
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
}
