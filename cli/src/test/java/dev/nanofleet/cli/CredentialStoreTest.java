package dev.nanofleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {

    @TempDir
    Path home;

    private final Credentials credentials = new Credentials("http://issuer", "nanofleet-cli", "access",
            Instant.parse("2026-01-01T00:05:00Z"), "refresh", Instant.parse("2026-01-01T00:30:00Z"));

    @Test
    void the_credentials_file_is_readable_by_its_owner_only_and_so_is_its_directory() throws Exception {
        CredentialStore store = new CredentialStore(home.resolve("config/nanofleet"));

        store.save(credentials);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file().getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void a_rewritten_file_keeps_mode_0600_and_leaves_no_temporary_files() throws Exception {
        CredentialStore store = new CredentialStore(home.resolve("nanofleet"));
        store.save(credentials);

        store.save(new Credentials("http://issuer", "nanofleet-cli", "access-2", credentials.accessExpiresAt(),
                "refresh-2", null));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(store.load()).hasValueSatisfying(c -> assertThat(c.accessToken()).isEqualTo("access-2"));
        try (var files = Files.list(store.file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CredentialStore.FILE_NAME);
        }
    }

    @Test
    void saved_credentials_load_back_equal_and_delete_removes_them() {
        CredentialStore store = new CredentialStore(home.resolve("nanofleet"));
        store.save(credentials);

        assertThat(store.load()).contains(credentials);
        assertThat(store.delete()).isTrue();
        assertThat(store.load()).isEmpty();
        assertThat(store.delete()).isFalse();
    }

    @Test
    void an_access_token_counts_as_expired_a_little_before_it_does() {
        assertThat(credentials.accessValidAt(Instant.parse("2026-01-01T00:04:00Z"))).isTrue();
        assertThat(credentials.accessValidAt(Instant.parse("2026-01-01T00:04:45Z"))).isFalse();
        assertThat(credentials.refreshValidAt(Instant.parse("2026-01-01T00:10:00Z"))).isTrue();
    }
}
