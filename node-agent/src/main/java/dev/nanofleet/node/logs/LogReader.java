package dev.nanofleet.node.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads an instance's output: the last lines of {@code output.log} and its rotated copies ({@link LogRotator}), and,
 * when following, what is appended afterwards.
 *
 * <p>
 * Following survives rotation: the live file is truncated in place (copytruncate), so a size smaller than the
 * position read so far means "rotated"; the reader then takes what it had not read yet from {@code output.log.1} and
 * continues at offset 0 of the live file. A rotation that happens and grows the live file past the read position
 * within one poll interval would go unnoticed; with the default 10 MiB limit that takes a very fast writer. Likewise a
 * rotation during the initial tail may shift a copy under the reader: tails are best effort, like {@code tail -F}.
 *
 * <p>
 * Blocking: call it on a thread that may wait (a worker or virtual thread), never on an event loop. Stateless; one
 * instance may serve many readers at once.
 */
public final class LogReader {

    /** Where the bytes go. Called on the reading thread. */
    public interface Sink {
        /**
         * Takes {@code length} bytes of {@code bytes} from {@code offset}; the array is reused after the call returns.
         *
         * @return false when the reader has gone away and reading should stop
         */
        boolean accept(byte[] bytes, int offset, int length);

        /** Asked while following and nothing is new: false stops reading (the client disconnected). */
        default boolean open() {
            return true;
        }
    }

    private static final int CHUNK = 64 * 1024;
    /** Rotated copies looked for: more than any sane {@code max-files}. */
    private static final int MAX_ROTATED = 100;

    private final Duration pollInterval;

    /** @param pollInterval how often a follower looks for new output */
    public LogReader(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /**
     * Writes the last {@code tail} lines of {@code log} (reaching back into its rotated copies) to {@code sink}; with
     * {@code follow}, keeps writing what is appended until {@code ended} was true before a read that found nothing
     * new (so everything the instance wrote is delivered), the log disappears (the instance was removed), the sink
     * refuses, or the thread is interrupted.
     *
     * @param tail how many lines, at least 1; the last line counts even without its newline
     * @param ended whether the instance has ended, so no more output can come
     * @throws InterruptedException when interrupted while following
     * @throws UncheckedIOException when a file cannot be read for another reason than having disappeared
     */
    public void read(Path log, int tail, boolean follow, BooleanSupplier ended, Sink sink)
            throws InterruptedException {
        List<Segment> segments = segments(log);
        Position start = tailStart(segments, tail);
        byte[] buffer = new byte[CHUNK];
        long position = 0;
        for (int i = start.segment(); i < segments.size(); i++) {
            Segment s = segments.get(i);
            long from = i == start.segment() ? start.offset() : 0;
            long reached = copy(s.path(), from, s.length(), buffer, sink);
            if (reached < 0) {
                return;
            }
            position = reached;
        }
        if (segments.isEmpty() || !segments.get(segments.size() - 1).path().equals(log)) {
            position = 0; // no live file yet: follow it from its beginning once it appears
        }
        if (!follow) {
            return;
        }
        while (!Thread.currentThread().isInterrupted()) {
            boolean endedBefore = ended.getAsBoolean();
            long size = size(log);
            if (size < 0) {
                if (endedBefore || !Files.isDirectory(log.getParent())) {
                    return; // the instance is gone
                }
            } else if (size < position) {
                // rotated: the bytes after our position were copied to .1 just before the truncation
                Path previous = LogRotator.rotated(log, 1);
                long previousSize = size(previous);
                if (previousSize > position && copy(previous, position, previousSize, buffer, sink) < 0) {
                    return;
                }
                position = 0;
                continue;
            } else if (size > position) {
                position = copy(log, position, size, buffer, sink);
                if (position < 0) {
                    return;
                }
                continue;
            }
            if (endedBefore || !sink.open()) {
                return;
            }
            Thread.sleep(pollInterval.toMillis());
        }
        throw new InterruptedException("interrupted while following " + log);
    }

    private record Segment(Path path, long length) {
    }

    private record Position(int segment, long offset) {
    }

    /** The rotated copies, oldest first, then the live file; each with its length now. */
    private static List<Segment> segments(Path log) {
        List<Segment> segments = new ArrayList<>();
        for (int n = 1; n <= MAX_ROTATED; n++) {
            long size = size(LogRotator.rotated(log, n));
            if (size < 0) {
                break;
            }
            segments.add(0, new Segment(LogRotator.rotated(log, n), size));
        }
        long size = size(log);
        if (size >= 0) {
            segments.add(new Segment(log, size));
        }
        return segments;
    }

    /** Where the last {@code tail} lines of the concatenated segments begin. */
    private static Position tailStart(List<Segment> segments, int tail) {
        if (tail < 1) {
            throw new IllegalArgumentException("tail must be at least 1, not " + tail);
        }
        int newlines = 0;
        boolean last = true; // a newline ending the very last line starts no further line
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        for (int s = segments.size() - 1; s >= 0; s--) {
            Segment segment = segments.get(s);
            try (FileChannel ch = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
                long end = segment.length();
                while (end > 0) {
                    int n = (int) Math.min(CHUNK, end);
                    long from = end - n;
                    buffer.clear().limit(n);
                    int read = 0;
                    while (buffer.hasRemaining() && ch.read(buffer, from + read) > 0) {
                        read = buffer.position();
                    }
                    if (read < n) {
                        break; // shrunk meanwhile (rotated): take what we have
                    }
                    for (int i = n - 1; i >= 0; i--) {
                        if (buffer.get(i) == '\n') {
                            if (!last && ++newlines == tail) {
                                return new Position(s, from + i + 1);
                            }
                        }
                        last = false;
                    }
                    end = from;
                }
            } catch (NoSuchFileException e) {
                // rotated away meanwhile: start after it
                return new Position(s + 1, 0);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + segment.path() + ": " + e.getMessage(), e);
            }
        }
        return new Position(0, 0);
    }

    /**
     * Copies {@code [from, to)} of {@code file} to the sink (less if the file shrank meanwhile).
     *
     * @return the position reached, or -1 when the sink refused
     */
    private static long copy(Path file, long from, long to, byte[] buffer, Sink sink) {
        long position = from;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            while (position < to) {
                wrapped.clear().limit((int) Math.min(buffer.length, to - position));
                int read = ch.read(wrapped, position);
                if (read <= 0) {
                    break;
                }
                if (!sink.accept(buffer, 0, read)) {
                    return -1;
                }
                position += read;
            }
        } catch (NoSuchFileException e) {
            return position;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return position;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }
}
