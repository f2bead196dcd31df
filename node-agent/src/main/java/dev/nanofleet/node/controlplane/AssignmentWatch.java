package dev.nanofleet.node.controlplane;

import dev.nanofleet.node.core.ControlPlaneException;
import dev.nanofleet.nodeapi.NodeApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Holds the node's assignment watch open ({@link NodeApi#ASSIGNMENTS_WATCH}) on a thread of its own and tells a
 * {@link Listener} what happens: connected (the agent then fetches its full list), each {@code changed} event, the
 * stream gone. Dropped streams are opened again after a back-off ({@code firstBackoff} doubling to {@code maxBackoff},
 * from the first again once a stream opened). A stream that says nothing (not even control-api's heartbeat comment)
 * for {@code idleTimeout} is taken for dead and replaced. A control-api without the watch (404, 405, or a 200 that is
 * not an event stream) makes it {@link Listener#unsupported()} and ask again only after {@code unsupportedRetry}: the
 * agent polls meanwhile.
 *
 * <p>
 * Lines are read on a daemon thread per connection into a queue, so a dead connection whose read never returns cannot
 * hold the watch: it gives up on that reader and connects again. Parsing follows the SSE format as far as the watch
 * uses it: {@code event:} and {@code data:} fields, a blank line ends an event, lines starting with {@code :} are
 * comments (heartbeats); an event without a name is a {@code message} and ignored.
 */
public final class AssignmentWatch implements AutoCloseable {

    /** What the watch reports; called on the watch's thread, so implementations return quickly. */
    public interface Listener {
        /** A stream is open: fetch the full list now, changes from here on are announced. */
        void connected();

        /** The assignments changed (the event's version, or -1 when it had none that parses). */
        void changed(long version);

        /** The stream is gone (the agent falls back to polling until {@link #connected()} again). */
        void disconnected(String why);

        /** control-api has no watch: poll. */
        void unsupported();
    }

    /** Waits between attempts; a test passes one that records and returns at once. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Logger LOG = Logger.getLogger(AssignmentWatch.class);
    private static final Object EOF = new Object();

    private final Supplier<WatchConnection> open;
    private final Listener listener;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Duration idleTimeout;
    private final Duration unsupportedRetry;
    private final Sleeper sleeper;
    private volatile boolean closed;
    private volatile InputStream current;
    private Thread thread;

    /**
     * @param open opens one stream; throws {@link ControlPlaneException} when control-api cannot be reached
     */
    public AssignmentWatch(Supplier<WatchConnection> open, Listener listener, Duration firstBackoff,
            Duration maxBackoff, Duration idleTimeout, Duration unsupportedRetry, Sleeper sleeper) {
        this.open = open;
        this.listener = listener;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.idleTimeout = idleTimeout;
        this.unsupportedRetry = unsupportedRetry;
        this.sleeper = sleeper;
    }

    /** Starts the watch's thread. */
    public void start() {
        thread = new Thread(this::run, "assignment-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(current);
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** The loop of the watch's thread; runs until {@link #close()} (public for tests that drive it on their own thread). */
    public void run() {
        Duration backoff = firstBackoff;
        while (!closed) {
            Duration wait;
            try {
                if (attempt()) {
                    backoff = firstBackoff; // it was open: a drop is retried soon, failures after it back off again
                }
                wait = backoff;
                backoff = next(backoff);
            } catch (Unsupported e) {
                listener.unsupported();
                LOG.infof("event=watch.unsupported status=%d retryInS=%d: polling instead", e.status,
                        unsupportedRetry.toSeconds());
                wait = unsupportedRetry;
                backoff = firstBackoff;
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
    }

    /**
     * One connection, read until it ends.
     *
     * @return true when a stream was open (the back-off starts over), false when none could be opened
     */
    private boolean attempt() throws Unsupported, InterruptedException {
        WatchConnection connection;
        try {
            connection = open.get();
        } catch (ControlPlaneException e) {
            listener.disconnected(e.getMessage());
            LOG.debugf("event=watch.failed reason=\"%s\"", e.getMessage());
            return false;
        }
        if (!connection.isEventStream()) {
            closeQuietly(connection.body());
            if (connection.unsupported()) {
                throw new Unsupported(connection.status());
            }
            listener.disconnected("control-api answered the watch with HTTP " + connection.status());
            LOG.warnf("event=watch.refused status=%d", connection.status());
            return false;
        }
        current = connection.body();
        try {
            read(connection.body());
        } finally {
            current = null;
            closeQuietly(connection.body());
        }
        return true;
    }

    private void read(InputStream body) throws InterruptedException {
        BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
                lines.add(EOF);
            } catch (IOException e) {
                lines.add(e);
            }
        }, "assignment-watch-reader");
        reader.setDaemon(true);
        reader.start();
        listener.connected();
        LOG.infof("event=watch.connected");
        String event = null;
        String data = null;
        while (!closed) {
            Object next = lines.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                listener.disconnected("nothing heard for " + idleTimeout.toSeconds() + " s");
                LOG.warnf("event=watch.silent seconds=%d: connecting again", idleTimeout.toSeconds());
                return;
            }
            if (next == EOF || next instanceof IOException) {
                String why = next == EOF ? "control-api ended the stream" : ((IOException) next).getMessage();
                listener.disconnected(why);
                LOG.infof("event=watch.ended reason=\"%s\"", why);
                return;
            }
            String line = (String) next;
            if (line.isEmpty()) {
                if (NodeApi.WATCH_CHANGED.equals(event)) {
                    listener.changed(version(data));
                }
                event = null;
                data = null;
            } else if (line.startsWith(":")) {
                continue; // a heartbeat; hearing it was the point
            } else if (line.startsWith("event:")) {
                event = field(line, "event:");
            } else if (line.startsWith("data:")) {
                data = data == null ? field(line, "data:") : data + "\n" + field(line, "data:");
            }
        }
    }

    private static String field(String line, String name) {
        String value = line.substring(name.length());
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    private static long version(String data) {
        try {
            return data == null ? -1 : Long.parseLong(data.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing a stream we give up on
            }
        }
    }

    private static final class Unsupported extends Exception {
        final int status;

        Unsupported(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }
}
