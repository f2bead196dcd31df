package dev.nanofleet.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewedCertificateTest {

    @TempDir
    Path dir;

    @Test
    void new_content_that_passes_its_check_counts_once_and_content_that_fails_is_reported_once() throws Exception {
        Path file = Files.writeString(dir.resolve("apps.pem"), "first");
        List<String> checked = new ArrayList<>();
        RenewedCertificate renewed = new RenewedCertificate(file, path -> {
            String content = Files.readString(path);
            checked.add(content);
            if (content.startsWith("bad")) {
                throw new IllegalStateException("does not name *.apps.example");
            }
        });

        assertThat(renewed.changed()).as("the content served at start").isFalse();

        Files.writeString(file, "second");
        assertThat(renewed.changed()).isTrue();
        assertThat(renewed.changed()).as("the same content again").isFalse();

        Files.writeString(file, "bad third");
        assertThatThrownBy(renewed::changed).hasMessage("does not name *.apps.example");
        assertThat(renewed.changed()).as("a refused content is not reported again").isFalse();

        Files.writeString(file, "fourth");
        assertThat(renewed.changed()).isTrue();
        assertThat(checked).containsExactly("second", "bad third", "fourth");
    }
}
