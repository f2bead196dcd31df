package dev.nanofleet.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * control-api's 32-byte keys on a local platform (the one that seals registry passwords, the seed that signs log
 * grants): made once from SecureRandom on the first {@code up} and kept with control-api's data (readable by its owner
 * only), so sealed passwords stay usable and registered agents keep trusting the grants across restarts, and
 * {@code ./fleet down --purge} removes them with the data.
 */
final class SecretsKey {

    private SecretsKey() {
    }

    static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createDirectories(file.getParent());
                Files.writeString(Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create control-api's key " + file, e);
        }
    }
}
