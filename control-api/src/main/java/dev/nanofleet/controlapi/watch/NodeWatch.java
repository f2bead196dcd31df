package dev.nanofleet.controlapi.watch;

import dev.nanofleet.nodeapi.NodeApi;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * One node agent's open watch stream, written as Server-Sent Events: {@code event: changed} with the version of the
 * change that woke it (a number that only grows), a comment every {@code heartbeat} while nothing changes, until the
 * client hangs up (a write fails), a newer stream of the same node {@link #close()}s this one, or the server stops.
 * Changes that arrive while one is being written fold into the next message: the agent fetches its full list on each,
 * so one message for many changes loses nothing.
 *
 * <p>
 * Holds the virtual thread it runs on while it is open ({@code AssignmentWatchResource}); {@link AssignmentWatches}
 * allows one stream per node. {@link #wake} and {@link #close} may be called from any thread.
 */
final class NodeWatch implements StreamingOutput {

    private static final Logger LOG = Logger.getLogger(NodeWatch.class);

    private final String node;
    private final Duration heartbeat;
    private final Runnable onEnd;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long version;
    private long sent;
    private boolean closed;

    NodeWatch(String node, Duration heartbeat, Runnable onEnd) {
        this.node = node;
        this.heartbeat = heartbeat;
        this.onEnd = onEnd;
    }

    String node() {
        return node;
    }

    /** The node's assignments changed; {@code newVersion} is larger than any given before. */
    void wake(long newVersion) {
        lock.lock();
        try {
            version = Math.max(version, newVersion);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream (a newer one replaced it, or the server stops). */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(OutputStream output) throws IOException {
        try {
            // the first bytes tell the agent the stream is open; it fetches its full list then
            send(output, "retry: 1000\n: watching assignments of node " + node + "\n\n");
            while (true) {
                long next = awaitChange();
                if (next < 0) {
                    return;
                }
                send(output, next == 0
                        ? ": heartbeat\n\n"
                        : "event: " + NodeApi.WATCH_CHANGED + "\ndata: " + next + "\n\n");
            }
        } catch (IOException e) {
            // the agent hung up or the connection died: the normal end of a watch
            LOG.debugf("assignment watch of node=%s ended: %s", node, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
            onEnd.run();
        }
    }

    /** The version to announce, 0 for a heartbeat, -1 once closed. */
    private long awaitChange() throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + heartbeat.toNanos();
            while (!closed && version == sent) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return 0;
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            if (closed) {
                return -1;
            }
            sent = version;
            return version;
        } finally {
            lock.unlock();
        }
    }

    private static void send(OutputStream output, String text) throws IOException {
        output.write(text.getBytes(StandardCharsets.UTF_8));
        output.flush();
    }
}
