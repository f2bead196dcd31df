package dev.nanofleet.node.net;

import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.nodeapi.InstanceNetwork.PortBinding;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The instances' published ports: a {@link PortForwarder} per port, listening on the node's publish address and
 * connecting to the instance's address. A recorded node port is taken again (an agent restart keeps ports); if it is
 * taken by now, another one is, and the caller records it.
 *
 * <p>
 * Thread-safe.
 */
final class PublishedPorts implements AutoCloseable {

    private static final Logger LOG = System.getLogger(PublishedPorts.class.getName());

    private final InetAddress publishAddress;
    private final Map<UUID, List<PortForwarder>> forwarders = new ConcurrentHashMap<>();

    PublishedPorts(InetAddress publishAddress) {
        this.publishAddress = publishAddress;
    }

    /**
     * Starts forwarding each port to {@code address}.
     *
     * @param ports the container ports with the node port to listen on (0: any free one)
     * @return the ports as bound, in the same order
     * @throws RuntimeFailure if a port cannot be listened on at all (nothing is left listening then)
     */
    List<PortBinding> start(UUID instance, String address, List<PortBinding> ports) {
        List<PortForwarder> started = new ArrayList<>();
        List<PortBinding> bound = new ArrayList<>();
        for (PortBinding p : ports) {
            InetSocketAddress target = new InetSocketAddress(address, p.containerPort());
            PortForwarder f;
            try {
                f = listen(p.hostPort(), target);
            } catch (IOException e) {
                if (p.hostPort() == 0) {
                    started.forEach(PortForwarder::close);
                    throw cannotListen(p, e);
                }
                LOG.log(Level.WARNING,
                        "event=network.port.moved instance={0} containerPort={1} hostPort={2} reason=\"{3}\"",
                        instance, p.containerPort(), p.hostPort(), e.getMessage());
                try {
                    f = listen(0, target);
                } catch (IOException again) {
                    started.forEach(PortForwarder::close);
                    throw cannotListen(p, again);
                }
            }
            started.add(f);
            bound.add(new PortBinding(p.containerPort(), f.port()));
        }
        forwarders.put(instance, started);
        LOG.log(Level.INFO, "event=network.forwarding instance={0} ports={1}", instance, bound);
        return List.copyOf(bound);
    }

    /** Whether this agent forwards the instance's ports now. */
    boolean forwarding(UUID instance) {
        return forwarders.containsKey(instance);
    }

    void stop(UUID instance) {
        List<PortForwarder> running = forwarders.remove(instance);
        if (running != null) {
            running.forEach(PortForwarder::close);
        }
    }

    @Override
    public void close() {
        for (UUID id : List.copyOf(forwarders.keySet())) {
            stop(id);
        }
    }

    private PortForwarder listen(int port, InetSocketAddress target) throws IOException {
        return new PortForwarder(publishAddress, port, target);
    }

    private static RuntimeFailure cannotListen(PortBinding p, IOException e) {
        return new RuntimeFailure("cannot listen for the published port " + p.containerPort() + ": " + e
                .getMessage(), e);
    }
}
