package dev.nanofleet.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final LogReader reader = new LogReader(Duration.ofMillis(20));

    /** Collects what the reader writes; thread-safe so a test can look while the reader follows. */
    private static final class Collected implements LogReader.Sink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicBoolean open = new AtomicBoolean(true);

        @Override
        public synchronized boolean accept(byte[] b, int offset, int length) {
            bytes.write(b, offset, length);
            return open.get();
        }

        @Override
        public boolean open() {
            return open.get();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private String tail(Path log, int n) throws InterruptedException {
        Collected out = new Collected();
        reader.read(log, n, false, () -> true, out);
        return out.text();
    }

    @Test
    void tail_returns_the_last_lines_with_or_without_a_final_newline() throws Exception {
        Path log = Files.writeString(dir.resolve("output.log"), "a\nb\nc\n");
        assertThat(tail(log, 2)).isEqualTo("b\nc\n");
        assertThat(tail(log, 3)).isEqualTo("a\nb\nc\n");
        assertThat(tail(log, 100)).isEqualTo("a\nb\nc\n");
        Files.writeString(log, "a\nb\nc");
        assertThat(tail(log, 1)).isEqualTo("c");
        assertThat(tail(log, 2)).isEqualTo("b\nc");
    }

    @Test
    void tail_reaches_back_into_rotated_copies_oldest_first() throws Exception {
        Path log = dir.resolve("output.log");
        Files.writeString(LogRotator.rotated(log, 2), "1\n2\n");
        Files.writeString(LogRotator.rotated(log, 1), "3\n4\n");
        Files.writeString(log, "5\n");
        assertThat(tail(log, 2)).isEqualTo("4\n5\n");
        assertThat(tail(log, 4)).isEqualTo("2\n3\n4\n5\n");
        assertThat(tail(log, 10)).isEqualTo("1\n2\n3\n4\n5\n");
    }

    @Test
    void a_line_split_by_rotation_is_one_line() throws Exception {
        Path log = dir.resolve("output.log");
        Files.writeString(LogRotator.rotated(log, 1), "x\nhel");
        Files.writeString(log, "lo\n");
        assertThat(tail(log, 1)).isEqualTo("hello\n");
    }

    @Test
    void tail_spans_many_chunks() throws Exception {
        Path log = dir.resolve("output.log");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            all.append("line-").append(i).append('\n');
        }
        Files.writeString(log, all);
        assertThat(tail(log, 3)).isEqualTo("line-49997\nline-49998\nline-49999\n");
        assertThat(tail(log, 50_000)).isEqualTo(all.toString());
    }

    @Test
    void an_empty_or_missing_log_gives_nothing() throws Exception {
        assertThat(tail(dir.resolve("output.log"), 10)).isEmpty();
        assertThat(tail(Files.writeString(dir.resolve("output.log"), ""), 10)).isEmpty();
    }

    @Test
    void follow_streams_appended_lines_across_a_rotation_and_stops_once_the_instance_ended() throws Exception {
        Path log = Files.writeString(dir.resolve("output.log"), "old-1\nold-2\n");
        AtomicBoolean ended = new AtomicBoolean();
        Collected out = new Collected();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> {
            try {
                reader.read(log, 1, true, ended::get, out);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(WAIT, "the tail", () -> out.text().equals("old-2\n"));

        append(log, "new-1\n");
        Await.until(WAIT, "an appended line", () -> out.text().endsWith("new-1\n"));

        append(log, "new-2\n");
        new LogRotator(1, 3).rotateIfNeeded(log);
        append(log, "after-rotation\n");
        Await.until(WAIT, "a line written after the rotation", () -> out.text().endsWith("after-rotation\n"));

        append(log, "last words\n");
        ended.set(true);
        following.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(out.text()).isEqualTo("old-2\nnew-1\nnew-2\nafter-rotation\nlast words\n");
    }

    @Test
    void follow_stops_when_the_client_goes_away() throws Exception {
        Path log = Files.writeString(dir.resolve("output.log"), "x\n");
        Collected out = new Collected();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> {
            try {
                reader.read(log, 10, true, () -> false, out);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(WAIT, "the tail", () -> out.text().equals("x\n"));
        out.open.set(false);
        following.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void follow_waits_for_a_log_that_does_not_exist_yet_and_stops_when_the_instance_directory_goes() throws Exception {
        Path instanceDir = Files.createDirectory(dir.resolve("instance"));
        Path log = instanceDir.resolve("output.log");
        Collected out = new Collected();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> {
            try {
                reader.read(log, 10, true, () -> false, out);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Files.writeString(log, "booted\n");
        Await.until(WAIT, "output of a late log", () -> out.text().equals("booted\n"));
        Files.delete(log);
        Files.delete(instanceDir);
        following.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardOpenOption.APPEND);
    }
}
