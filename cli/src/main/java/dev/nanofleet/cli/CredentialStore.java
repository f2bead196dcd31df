package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code credentials.json} in the config directory. The file is created with mode 0600 (and its directory 0700) at
 * creation, never chmod-ed afterwards: a chmod leaves a window in which another user could open the tokens. It is
 * written to a new file and moved over the old one, so a crash never leaves half a file.
 */
public final class CredentialStore {

    public static final String FILE_NAME = "credentials.json";

    private final Path dir;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    public CredentialStore(Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE_NAME);
    }

    public Optional<Credentials> load() {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), Credentials.class));
        } catch (IOException e) {
            throw new CliException(ExitCodes.NOT_LOGGED_IN,
                    "cannot read " + file + " (" + e.getMessage() + "); run `nanofleet logout` and log in again", e);
        }
    }

    public void save(Credentials credentials) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                            "rwx------")));
                } catch (FileAlreadyExistsException raced) {
                    // another nanofleet created it meanwhile
                }
            }
            Path temp = Files.createTempFile(dir, ".credentials-", ".json", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(temp, json.writeValueAsBytes(credentials));
                Files.move(temp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(), e);
        }
    }

    /** Returns whether there was a file to delete. */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(), e);
        }
    }
}
