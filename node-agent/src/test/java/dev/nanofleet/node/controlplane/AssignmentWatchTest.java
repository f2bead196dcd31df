package dev.nanofleet.node.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.node.core.ControlPlaneException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The watch client on scripted connections: SSE parsing, back-off, fallback, dead streams. No HTTP, no sleeps. */
class AssignmentWatchTest {

    private static final Duration FIRST = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(4);
    private static final Duration UNSUPPORTED_RETRY = Duration.ofMinutes(10);

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private final Deque<Supplier<WatchConnection>> script = new ArrayDeque<>();
    private AssignmentWatch watch;

    private final AssignmentWatch.Listener listener = new HeardWatch(heard);

    /** Runs the watch over the script; when it is used up the watch is closed. */
    private void run(Duration idleTimeout) {
        watch = new AssignmentWatch(() -> {
            Supplier<WatchConnection> next = script.poll();
            if (next == null) {
                watch.close();
                throw new ControlPlaneException("script over");
            }
            return next.get();
        }, listener, FIRST, MAX, idleTimeout, UNSUPPORTED_RETRY, waits::add);
        watch.run();
    }

    private void stream(String text) {
        script.add(() -> new WatchConnection(200, "text/event-stream; charset=UTF-8",
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
    }

    private void refused() {
        script.add(() -> {
            throw new ControlPlaneException("connection refused");
        });
    }

    @Test
    void parses_changed_events_and_skips_comments_other_events_and_unparsable_versions() {
        stream("""
                retry: 1000
                : watching

                event: changed
                data: 7

                : heartbeat

                data: an unnamed message

                event: other
                data: 8

                event:changed
                data:9

                event: changed
                data: not a number

                """);

        run(Duration.ofSeconds(5));

        assertThat(heard).containsExactly("connected", "changed 7", "changed 9", "changed -1", "disconnected",
                "disconnected");
    }

    @Test
    void reconnects_with_a_back_off_that_doubles_to_its_bound_and_starts_over_once_a_stream_opened() {
        refused();
        refused();
        refused();
        refused();
        refused();
        stream(": watching\n\n");
        refused();
        refused();

        run(Duration.ofSeconds(5));

        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(2));
        assertThat(heard).contains("connected");
    }

    @Test
    void a_control_api_without_the_watch_means_polling_and_asking_again_much_later() {
        script.add(() -> new WatchConnection(404, "application/problem+json", InputStream.nullInputStream()));
        script.add(() -> new WatchConnection(200, "application/json", InputStream.nullInputStream()));

        run(Duration.ofSeconds(5));

        assertThat(heard).startsWith("unsupported", "unsupported");
        assertThat(waits).startsWith(UNSUPPORTED_RETRY, UNSUPPORTED_RETRY);
    }

    @Test
    void another_refusal_is_a_drop_retried_with_back_off() {
        script.add(() -> new WatchConnection(403, "application/problem+json", InputStream.nullInputStream()));

        run(Duration.ofSeconds(5));

        assertThat(heard).first().isEqualTo("disconnected");
        assertThat(waits).first().isEqualTo(FIRST);
    }

    @Test
    void a_stream_that_stays_silent_past_the_idle_timeout_is_given_up_and_opened_again() throws IOException {
        PipedOutputStream server = new PipedOutputStream();
        PipedInputStream silent = new PipedInputStream(server);
        server.write(": watching\n\n".getBytes(StandardCharsets.UTF_8));
        server.flush();
        script.add(() -> new WatchConnection(200, "text/event-stream", silent));
        stream(": watching\n\nevent: changed\ndata: 1\n\n");

        run(Duration.ofMillis(200));

        assertThat(heard).startsWith("connected", "disconnected", "connected", "changed 1");
        server.close();
    }
}
