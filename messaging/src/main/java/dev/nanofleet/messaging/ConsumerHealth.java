package dev.nanofleet.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one consumer reports about itself for a readiness check.
 *
 * @param lastProgress when a poll last returned or an event was last finished
 * @param restarts how often the consumer died and was replaced since start-up
 * @param lastError why it last died; null if it never did
 */
public record ConsumerHealth(String name, State state, Instant lastProgress, long restarts, String lastError) {

    public enum State {
        /** Polling and handling events. */
        RUNNING,
        /** No progress for longer than the bound, e.g. a handler that hangs. */
        STUCK,
        /** Died (e.g. evicted from its group) and waits to be replaced by a new consumer. */
        RESTARTING,
        /** Closed on purpose. */
        STOPPED
    }

    public boolean up() {
        return state == State.RUNNING;
    }

    /** The details a health endpoint shows, as text. */
    public Map<String, String> data() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("consumer", name);
        data.put("state", state.name());
        data.put("lastProgress", String.valueOf(lastProgress));
        data.put("restarts", Long.toString(restarts));
        if (lastError != null) {
            data.put("lastError", lastError);
        }
        return data;
    }
}
