package dev.nanofleet.node.logs;

import dev.nanofleet.node.host.Exec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads the kernel's ring buffer from {@code /dev/kmsg}: every record it holds now ({@link #backlog()}), and the
 * records logged afterwards ({@link #follow}).
 *
 * <p>
 * A read of {@code /dev/kmsg} returns one record and, at the end of the buffer, blocks for the next one, unless the
 * device was opened {@code O_NONBLOCK} (then it fails with {@code EAGAIN}): that is the only way to know where the
 * buffer ends. Java opens no file non-blocking (the FFM API that could is a preview in the release the agent is built
 * for), so the backlog is read by {@code dd iflag=nonblock}, which stops at exactly that {@code EAGAIN}. Following then
 * opens the device again, blocking, and skips the records it has printed by their sequence numbers.
 */
public final class KernelMessages {

    public static final Path DEVICE = Path.of("/dev/kmsg");
    /** Larger than any record (the kernel refuses a read into a buffer too small for the next record). */
    private static final int RECORD_BUFFER = 16 * 1024;
    /** A backlog read retried after the buffer wrapped under it ({@code EPIPE}). */
    private static final int ATTEMPTS = 3;

    private final Path device;
    private final Duration timeout;

    /** Why the kernel's messages cannot be read on this node: the answer names it. */
    public static final class NotReadable extends RuntimeException {
        public NotReadable(String why) {
            super(why);
        }
    }

    /** @param timeout how long reading the backlog may take */
    public KernelMessages(Path device, Duration timeout) {
        this.device = device;
        this.timeout = timeout;
    }

    /**
     * Every record the ring buffer holds now, oldest first.
     *
     * @throws NotReadable when the device is missing or the agent may not read it
     */
    public List<KmsgRecord> backlog() {
        if (!Files.exists(device)) {
            throw new NotReadable(device + " does not exist");
        }
        if (!Files.isReadable(device)) {
            throw new NotReadable(device + " is not readable by the agent's user");
        }
        String why = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // LC_ALL=C: the end is told apart from a failure by dd's message, which must not be translated
            Exec.Result read = Exec.run(List.of("env", "LC_ALL=C", "dd", "if=" + device, "iflag=nonblock",
                    "bs=" + RECORD_BUFFER, "status=none"), timeout);
            // a regular file (tests) ends with exit 0; the device ends with EAGAIN, which dd reports and exits 1
            if (read.ok() || read.stderr().contains("Resource temporarily unavailable")) {
                return KmsgRecord.parseAll(read.stdout());
            }
            why = read.message();
            if (!read.stderr().contains("Broken pipe")) {
                break; // EPIPE: records were overwritten while dd read them, so reading again helps; nothing else
            }
        }
        throw new NotReadable("reading " + device + " failed: " + why);
    }

    /**
     * Hands every record logged after {@code afterSeq} to {@code sink}, waiting for new ones, until {@code sink}
     * returns false or the thread is interrupted. Call it on a platform thread: its blocked read is then ended by an
     * interrupt (the channel is closed and the thread signalled).
     *
     * @throws InterruptedException when interrupted
     * @throws NotReadable when the device cannot be opened or read
     */
    public void follow(long afterSeq, Predicate<KmsgRecord> sink) throws InterruptedException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(RECORD_BUFFER);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (!Thread.currentThread().isInterrupted()) {
                buffer.clear();
                int n;
                try {
                    n = channel.read(buffer);
                } catch (ClosedByInterruptException e) {
                    throw new InterruptedException("interrupted while following " + device);
                } catch (IOException e) {
                    if ("Broken pipe".equals(e.getMessage())) {
                        continue; // records were overwritten before they were read: the next read goes on after them
                    }
                    throw e;
                }
                if (n < 0) {
                    return; // a regular file ended; the device never does
                }
                for (int i = 0; i < n; i++) {
                    byte b = buffer.get(i);
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    var record = KmsgRecord.parse(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                    if (record.isPresent() && record.get().seq() > afterSeq && !sink.test(record.get())) {
                        return;
                    }
                }
            }
            throw new InterruptedException("interrupted while following " + device);
        } catch (IOException e) {
            throw new NotReadable("reading " + device + " failed: " + e.getMessage());
        }
    }
}
