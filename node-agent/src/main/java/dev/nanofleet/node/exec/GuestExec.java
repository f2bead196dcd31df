package dev.nanofleet.node.exec;

import dev.nanofleet.node.vm.QemuRuntime;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exec into hardware-isolated instances: the guest agent ({@code nf-exec guest}, started by the VM's init) listens on
 * the VM's {@code exec0} virtio-serial port, which QEMU serves as a Unix socket on the host. QEMU takes one connection
 * per port, so each VM has one {@link GuestChannel} carrying all of its sessions, multiplexed by id; it is opened on the
 * first session and closed when the VM ends (the socket breaks), which ends every session in it.
 */
public final class GuestExec implements InstanceExec {

    private final QemuRuntime runtime;
    private final Map<UUID, GuestChannel> channels = new ConcurrentHashMap<>();

    public GuestExec(QemuRuntime runtime) {
        this.runtime = runtime;
    }

    /** Whether this runtime holds {@code id} (its directory exists), running or not. */
    public boolean holds(UUID id) {
        return Files.isDirectory(runtime.instanceDir(id));
    }

    @Override
    public void requireRunning(UUID id) {
        Path dir = runtime.instanceDir(id);
        if (!Files.isDirectory(dir)) {
            throw new ExecRefused(ExecRefused.Why.NOT_FOUND, "no instance " + id + " on this node");
        }
        if (!Files.exists(dir.resolve("started")) || Files.exists(dir.resolve("exit.json"))) {
            throw new ExecRefused(ExecRefused.Why.NOT_RUNNING, "instance " + id + " is not running");
        }
        if (!runtime.hasExecAgent(id)) {
            throw new ExecRefused(ExecRefused.Why.UNAVAILABLE, "the VM of instance " + id
                    + " was started without the exec agent (nanofleet.node.exec.helper unset then)");
        }
    }

    @Override
    public ExecSession open(UUID id, ExecRequest request, ExecListener listener) {
        requireRunning(id);
        GuestChannel channel;
        synchronized (channels) {
            channel = channels.get(id);
            if (channel == null || !channel.isOpen()) {
                channel = connect(id);
                channels.put(id, channel);
            }
        }
        return channel.open(request, listener);
    }

    private GuestChannel connect(UUID id) {
        Path socket = runtime.execSocket(id);
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            GuestChannel channel = new GuestChannel(id, input(ch), output(ch), ch, () -> channels.remove(id));
            channel.start();
            return channel;
        } catch (IOException e) {
            throw new ExecRefused(ExecRefused.Why.UNAVAILABLE, "cannot reach the exec agent of the VM of instance "
                    + id + ": " + e.getMessage());
        }
    }

    /**
     * Streams straight on the channel: {@code Channels.newInputStream} would hold the channel's blocking lock while it
     * waits for a frame, and so block every write.
     */
    private static InputStream input(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    private static OutputStream output(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
            }
        };
    }
}
