package dev.nanofleet.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Notices an operator's certificate file changed in place: its content, not its time stamp, since renewal tools
 * replace files in several ways. A changed file is checked before it counts as seen, so one that does not fit is
 * reported once and the next good content is still noticed.
 */
final class RenewedCertificate {

    /** The check a new content must pass ({@link EdgeTls#prepare} in the edge): throws with the reason if it fails. */
    interface Check {
        void check(Path file) throws IOException, InterruptedException;
    }

    private final Path path;
    private final Check check;
    private byte[] seen;

    /** Takes the file's content now as what is served. */
    RenewedCertificate(Path path, Check check) {
        this.path = path;
        this.check = check;
        this.seen = digestOrNull(path);
    }

    Path path() {
        return path;
    }

    /**
     * @return true when the content changed since last seen and passes the check (the caller then serves it)
     * @throws IllegalStateException or IOException with the reason when the new content does not fit; it is then seen,
     *         so the same content is not reported again
     */
    boolean changed() throws IOException, InterruptedException {
        byte[] now = digest(path);
        if (Arrays.equals(now, seen)) {
            return false;
        }
        seen = now;
        check.check(path);
        return true;
    }

    private static byte[] digestOrNull(Path path) {
        try {
            return digest(path);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] digest(Path path) throws IOException {
        return Sha256.of(Files.readAllBytes(path));
    }
}
