package dev.nanofleet.node.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {

    @TempDir
    Path dir;

    @Test
    void the_booted_slot_comes_from_the_kernel_command_line() {
        assertThat(HostFacts.bootSlot("nanofleet.roothash=ab nanofleet.root=root-b nanofleet.data_blocks=5 ro\n"))
                .contains("b");
        assertThat(HostFacts.bootSlot("BOOT_IMAGE=/vmlinuz nanofleet.root=root-a quiet")).contains("a");
        assertThat(HostFacts.bootSlot("BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet")).isEmpty();
        assertThat(HostFacts.bootSlot("nanofleet.root=root-c")).isEmpty();
        assertThat(HostFacts.bootSlot("")).isEmpty();
    }

    @Test
    void the_image_version_is_read_when_the_file_is_there_and_unknown_otherwise() throws Exception {
        Path file = dir.resolve("image-version");
        assertThat(HostFacts.osImageVersion(file)).isEmpty();
        Files.writeString(file, "0f1e2d3c4b5a6978-8796a5b4c3d2e1f0\n");
        assertThat(HostFacts.osImageVersion(file)).contains("0f1e2d3c4b5a6978-8796a5b4c3d2e1f0");
        Files.writeString(file, "  \n");
        assertThat(HostFacts.osImageVersion(file)).isEmpty();
    }
}
