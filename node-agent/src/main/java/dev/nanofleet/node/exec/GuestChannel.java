package dev.nanofleet.node.exec;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection to a VM's guest agent, carrying every exec session of that VM. The guest is root and hostile: what it
 * sends is only ever relayed as bytes of the session it names, and only of a session opened here; a frame over the
 * size limit, or any stream the protocol does not allow, closes the channel and so ends every session of the VM.
 */
final class GuestChannel {

    private static final Logger LOG = System.getLogger(GuestChannel.class.getName());
    /** As many as the guest agent runs at once; it refuses more itself, this stops a flood of open frames earlier. */
    static final int MAX_SESSIONS = 16;

    private final UUID instance;
    private final InputStream in;
    private final OutputStream out;
    private final Closeable connection;
    private final Runnable onClose;
    private final Map<Integer, ExecListener> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile boolean open = true;

    GuestChannel(UUID instance, InputStream in, OutputStream out, Closeable connection, Runnable onClose) {
        this.instance = instance;
        this.in = in;
        this.out = out;
        this.connection = connection;
        this.onClose = onClose;
    }

    boolean isOpen() {
        return open;
    }

    void start() {
        Thread.ofVirtual().name("guest-exec-" + instance).start(this::relay);
    }

    ExecSession open(ExecRequest request, ExecListener listener) {
        if (sessions.size() >= MAX_SESSIONS) {
            throw new ExecRefused(ExecRefused.Why.UNAVAILABLE, "instance " + instance + " has " + MAX_SESSIONS
                    + " exec sessions open already");
        }
        int id = nextId.getAndIncrement();
        sessions.put(id, listener);
        if (!send(id, HelperFrames.OPEN, HelperFrames.open(request))) {
            sessions.remove(id);
            throw new ExecRefused(ExecRefused.Why.UNAVAILABLE, "the exec agent of instance " + instance
                    + " is gone");
        }
        return new Session(id);
    }

    private void relay() {
        String why = "the instance's VM ended";
        try (DataInputStream frames = HelperFrames.input(in)) {
            for (HelperFrames.Frame f; (f = HelperFrames.read(frames)) != null;) {
                ExecListener listener = sessions.get(f.session());
                if (listener == null) {
                    continue; // not a session of ours (or one that ended): nothing to relay it to
                }
                switch (f.channel()) {
                    case HelperFrames.STDOUT -> listener.stdout(f.payload());
                    case HelperFrames.STDERR -> listener.stderr(f.payload());
                    case HelperFrames.EXIT -> {
                        sessions.remove(f.session());
                        listener.exited(HelperFrames.exitCode(f.payload()), HelperFrames.exitReason(f.payload()));
                    }
                    default -> {
                        // no other channel comes from the guest
                    }
                }
            }
        } catch (HelperFrames.ProtocolException e) {
            why = "the VM's exec agent broke the protocol";
            LOG.log(Level.WARNING, "event=exec.guest.protocol instance={0} reason=\"{1}\"", instance, e.getMessage());
        } catch (IOException e) {
            why = "lost the VM's exec agent: " + e.getMessage();
        } finally {
            close();
            for (Integer id : sessions.keySet()) {
                ExecListener listener = sessions.remove(id);
                if (listener != null) {
                    listener.exited(-1, why);
                }
            }
        }
    }

    private void close() {
        open = false;
        onClose.run();
        try {
            connection.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private boolean send(int session, int channel, byte[] payload) {
        synchronized (out) {
            try {
                for (int at = 0; at < payload.length || at == 0; at += HelperFrames.MAX_PAYLOAD) {
                    int n = Math.min(HelperFrames.MAX_PAYLOAD, payload.length - at);
                    out.write(HelperFrames.encode(session, channel, payload, at, n));
                    if (payload.length == 0) {
                        break;
                    }
                }
                out.flush();
                return true;
            } catch (IOException e) {
                close();
                return false;
            }
        }
    }

    private final class Session implements ExecSession {
        private final int id;

        Session(int id) {
            this.id = id;
        }

        @Override
        public void stdin(byte[] bytes) {
            if (bytes.length > 0 && sessions.containsKey(id)) {
                send(id, HelperFrames.STDIN, bytes);
            }
        }

        @Override
        public void closeStdin() {
            if (sessions.containsKey(id)) {
                send(id, HelperFrames.EOF, new byte[0]);
            }
        }

        @Override
        public void resize(int columns, int rows) {
            if (sessions.containsKey(id)) {
                send(id, HelperFrames.RESIZE, HelperFrames.resize(columns, rows));
            }
        }

        @Override
        public void kill() {
            if (sessions.containsKey(id)) {
                send(id, HelperFrames.KILL, new byte[0]);
            }
        }
    }
}
