package dev.nanofleet.node.controlplane;

import java.io.InputStream;

/**
 * control-api's answer to opening the assignment watch: its status, its content type and, for a 200, the stream of
 * Server-Sent Events (the caller closes it).
 */
public record WatchConnection(int status, String contentType, InputStream body) {

    /** A stream of events: anything else (404 from an older control-api, a JSON page from a stub) is no watch. */
    boolean isEventStream() {
        return status == 200 && contentType != null && contentType.toLowerCase().startsWith("text/event-stream");
    }

    /** control-api has no watch for us: poll instead (404/405: an older version; 200 of another type: not SSE). */
    boolean unsupported() {
        return status == 404 || status == 405 || status == 200 && !isEventStream();
    }
}
