package dev.nanofleet.node.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards TCP from a node port to an instance's address and port: one virtual thread accepts, two copy bytes per
 * connection. Runs inside the agent, so forwarding pauses while the agent is down (connections open then are cut; the
 * restarted agent listens again on the same port). Works the same for loopback and remote clients and needs no NAT
 * rules or sysctl changes on the host.
 */
final class PortForwarder implements Closeable {

    private static final Logger LOG = System.getLogger(PortForwarder.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 3000;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Binds {@code bind:port} ({@code port} 0: a free port the kernel picks) and starts accepting.
     *
     * @throws IOException if the port cannot be bound
     */
    PortForwarder(InetAddress bind, int port, InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(new InetSocketAddress(bind, port), 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Thread.ofVirtual().name("forward-" + server.getLocalPort()).start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    InetSocketAddress target() {
        return target;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "event=forward.accept.failed port={0} reason=\"{1}\"", port(),
                            e.getMessage());
                }
                return;
            }
            Thread.ofVirtual().name("forward-" + port() + "-conn").start(() -> relay(client));
        }
    }

    private void relay(Socket client) {
        Socket upstream = new Socket();
        open.add(client);
        open.add(upstream);
        try {
            upstream.connect(target, CONNECT_TIMEOUT_MS);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            Thread back = Thread.ofVirtual().start(() -> copy(upstream, client));
            copy(client, upstream);
            back.join();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "event=forward.connect.failed port={0} target={1} reason=\"{2}\"", port(), target,
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            open.remove(upstream);
        }
    }

    /** Copies until EOF, then half-closes the destination so the other side sees the end too. */
    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (SocketException e) {
            // reset or closed by the other direction
            closeQuietly(to);
        } catch (IOException e) {
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        open.forEach(PortForwarder::closeQuietly);
    }
}
