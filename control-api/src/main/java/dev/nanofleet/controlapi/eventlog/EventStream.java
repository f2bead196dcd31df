package dev.nanofleet.controlapi.eventlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One follower of the log, written as Server-Sent Events: every event after the starting point that the reader may see
 * and the query asks for, then each new one as it is stored, until the client hangs up (a write fails). Each event's
 * {@code id:} is its log sequence number; sequence numbers are committed in order, so a client that reconnects with
 * {@code Last-Event-ID} gets exactly the events after the last one it received: none lost, none twice.
 *
 * <p>
 * Holds a worker thread while it follows: it reads the store only when {@link EventLogTail} says the log grew, and
 * writes a comment every {@code keepAlive} so idle proxies keep the connection (and a gone client is noticed).
 */
final class EventStream implements StreamingOutput {

    private static final Logger LOG = Logger.getLogger(EventStream.class);

    private static final int BATCH = 500;

    private final EventLogStore store;
    private final EventLogTail tail;
    private final ObjectMapper json;
    private final String reader;
    private final EventLogQuery query;
    private final Duration keepAlive;

    EventStream(EventLogStore store, EventLogTail tail, ObjectMapper json, String reader, EventLogQuery query,
            Duration keepAlive) {
        this.store = store;
        this.tail = tail;
        this.json = json;
        this.reader = reader;
        this.query = query;
        this.keepAlive = keepAlive;
    }

    @Override
    public void write(OutputStream output) throws IOException {
        try {
            stream(new OutputStreamWriter(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the client hung up (or the server is stopping): the normal end of a follow
            LOG.debugf("event stream ended: %s", e.getMessage());
        }
    }

    private void stream(Writer out) throws IOException {
        // a browser's EventSource waits this long before it reconnects with Last-Event-ID
        out.write("retry: 2000\n: following\n\n");
        out.flush();
        long after = query.after();
        try {
            while (!tail.closed()) {
                long mark = tail.mark();
                List<EventEntry> batch = store.read(reader, query, after, BATCH);
                for (EventEntry entry : batch) {
                    out.write("id: " + entry.id() + "\ndata: " + json.writeValueAsString(entry) + "\n\n");
                    after = Long.parseLong(entry.id());
                }
                if (!batch.isEmpty()) {
                    out.flush();
                }
                if (batch.size() == BATCH) {
                    continue;
                }
                if (!tail.awaitAfter(mark, keepAlive)) {
                    out.write(": keep-alive\n\n");
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("event stream stopped");
        }
    }
}
