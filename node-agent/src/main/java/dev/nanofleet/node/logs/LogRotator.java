package dev.nanofleet.node.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Size-based rotation of an instance's {@code output.log}, the way Docker's json-file driver does it with
 * {@code max-size} and {@code max-file}: once the file is larger than {@code maxBytes} it is copied to
 * {@code output.log.1} (older copies shift to {@code .2}, ... and the oldest is dropped so that at most
 * {@code maxFiles} files exist, the live one included) and then truncated to zero.
 *
 * <p>
 * This is copytruncate, not rename: the runc wrapper ({@code >>}) and QEMU ({@code append=on}) hold the file open
 * with {@code O_APPEND}, so after the truncation their next write lands at offset 0 and nothing has to be reopened.
 * The price is a small window: bytes written between the copy and the truncation are lost. Stateless and
 * thread-safe as long as one thread rotates a given file (the agent's single rotation loop).
 */
public final class LogRotator {

    private final long maxBytes;
    private final int maxFiles;

    /**
     * @param maxBytes the size above which the live file is rotated; positive
     * @param maxFiles how many files to keep, the live one included; 1 means the live file is only truncated
     */
    public LogRotator(long maxBytes, int maxFiles) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("maxFiles must be at least 1, not " + maxFiles);
        }
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    /** The rotated copy {@code n} (1 = the newest) of {@code log}. */
    public static Path rotated(Path log, int n) {
        return log.resolveSibling(log.getFileName() + "." + n);
    }

    /**
     * Rotates {@code log} if it is larger than the limit.
     *
     * @return true if it was rotated; false if it is small enough or does not exist (an instance not started yet, or
     *         removed meanwhile)
     * @throws UncheckedIOException when copying or truncating fails
     */
    public boolean rotateIfNeeded(Path log) {
        try {
            if (Files.size(log) <= maxBytes) {
                return false;
            }
            if (maxFiles > 1) {
                Files.deleteIfExists(rotated(log, maxFiles - 1));
                for (int n = maxFiles - 2; n >= 1; n--) {
                    Path from = rotated(log, n);
                    if (Files.exists(from)) {
                        Files.move(from, rotated(log, n + 1), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                // copy to a temporary name first, so a reader never sees a half-written .1
                Path tmp = log.resolveSibling(log.getFileName() + ".rotating");
                Files.copy(log, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, rotated(log, 1), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            // lines the instance writes between the copy above and this truncation are lost (copytruncate's window)
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rotate " + log + ": " + e.getMessage(), e);
        }
    }
}
