package dev.nanofleet.node.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotatorTest {

    @TempDir
    Path dir;

    @Test
    void a_log_within_the_limit_is_left_alone() throws IOException {
        Path log = Files.writeString(dir.resolve("output.log"), "0123456789");
        assertThat(new LogRotator(10, 3).rotateIfNeeded(log)).isFalse();
        assertThat(Files.readString(log)).isEqualTo("0123456789");
        assertThat(LogRotator.rotated(log, 1)).doesNotExist();
    }

    @Test
    void a_missing_log_is_not_an_error() {
        assertThat(new LogRotator(10, 3).rotateIfNeeded(dir.resolve("output.log"))).isFalse();
    }

    @Test
    void an_oversized_log_is_copied_to_dot_1_and_truncated_in_place() throws IOException {
        Path log = Files.writeString(dir.resolve("output.log"), "first\nsecond\n");
        Object inode = Files.getAttribute(log, "unix:ino");
        assertThat(new LogRotator(5, 3).rotateIfNeeded(log)).isTrue();
        assertThat(Files.readString(LogRotator.rotated(log, 1))).isEqualTo("first\nsecond\n");
        assertThat(Files.size(log)).isZero();
        // the same file, so a writer holding it open with O_APPEND goes on writing into it
        assertThat(Files.getAttribute(log, "unix:ino")).isEqualTo(inode);
    }

    @Test
    void a_writer_with_o_append_continues_at_the_start_after_the_truncation() throws IOException {
        Path log = dir.resolve("output.log");
        try (var out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write("before rotation\n".getBytes());
            out.flush();
            new LogRotator(4, 2).rotateIfNeeded(log);
            out.write("after\n".getBytes());
        }
        assertThat(Files.readString(log)).isEqualTo("after\n");
        assertThat(Files.readString(LogRotator.rotated(log, 1))).isEqualTo("before rotation\n");
    }

    @Test
    void copies_shift_and_at_most_max_files_remain_counting_the_live_one() throws IOException {
        Path log = dir.resolve("output.log");
        LogRotator rotator = new LogRotator(3, 3);
        for (int i = 1; i <= 4; i++) {
            Files.writeString(log, "gen" + i + "\n");
            assertThat(rotator.rotateIfNeeded(log)).isTrue();
        }
        Files.writeString(log, "live\n");
        assertThat(Files.readString(LogRotator.rotated(log, 1))).isEqualTo("gen4\n");
        assertThat(Files.readString(LogRotator.rotated(log, 2))).isEqualTo("gen3\n");
        assertThat(LogRotator.rotated(log, 3)).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("output.log",
                    "output.log.1", "output.log.2");
        }
    }

    @Test
    void max_files_of_one_only_truncates() throws IOException {
        Path log = Files.writeString(dir.resolve("output.log"), "too long\n");
        assertThat(new LogRotator(3, 1).rotateIfNeeded(log)).isTrue();
        assertThat(Files.size(log)).isZero();
        assertThat(LogRotator.rotated(log, 1)).doesNotExist();
    }

    @Test
    void limits_must_make_sense() {
        assertThatThrownBy(() -> new LogRotator(0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogRotator(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
