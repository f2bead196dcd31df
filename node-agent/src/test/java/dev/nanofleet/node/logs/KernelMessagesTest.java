package dev.nanofleet.node.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reading around the parser, against files shaped like the device (the real one is read by NodeLogsApiIT). */
class KernelMessagesTest {

    private static final String RECORDS = "6,1,100,-;first\n SUBSYSTEM=pci\n4,2,2000000,-;second\n"
            + "3,3,3000001,-;third\n";

    @TempDir
    Path dir;

    @Test
    void the_backlog_is_every_record_in_order() throws IOException {
        Path device = Files.writeString(dir.resolve("kmsg"), RECORDS);

        assertThat(new KernelMessages(device, Duration.ofSeconds(10)).backlog()).extracting(KmsgRecord::text)
                .containsExactly("first", "second", "third");
    }

    @Test
    void a_missing_device_is_not_readable_and_says_so() {
        KernelMessages missing = new KernelMessages(dir.resolve("no-kmsg"), Duration.ofSeconds(10));

        assertThatThrownBy(missing::backlog).isInstanceOf(KernelMessages.NotReadable.class)
                .hasMessageContaining("no-kmsg does not exist");
    }

    @Test
    void a_device_that_fails_to_read_is_not_readable_with_the_readers_reason() throws IOException {
        Path notADevice = Files.createDirectory(dir.resolve("kmsg-dir"));

        assertThatThrownBy(new KernelMessages(notADevice, Duration.ofSeconds(10))::backlog)
                .isInstanceOf(KernelMessages.NotReadable.class).hasMessageContaining("reading " + notADevice)
                .hasMessageContaining("Is a directory");
        assertThatThrownBy(() -> new KernelMessages(notADevice, Duration.ofSeconds(10)).follow(0, r -> true))
                .isInstanceOf(KernelMessages.NotReadable.class).hasMessageContaining("reading " + notADevice);
    }

    @Test
    void following_hands_on_only_the_records_after_the_last_one_printed() throws Exception {
        Path device = Files.writeString(dir.resolve("kmsg"), RECORDS);
        List<KmsgRecord> seen = new ArrayList<>();

        new KernelMessages(device, Duration.ofSeconds(10)).follow(1, seen::add);

        assertThat(seen).extracting(KmsgRecord::seq).containsExactly(2L, 3L);
    }

    @Test
    void following_stops_when_the_reader_is_gone() throws Exception {
        Path device = Files.writeString(dir.resolve("kmsg"), RECORDS);
        List<KmsgRecord> seen = new ArrayList<>();

        new KernelMessages(device, Duration.ofSeconds(10)).follow(0, r -> seen.add(r) && seen.size() < 2);

        assertThat(seen).hasSize(2);
    }
}
