package dev.nanofleet.node.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RootfsOverlayTest {

    @Test
    void mount_points_read_from_mountinfo_have_their_octal_escapes_undone() {
        assertThat(RootfsOverlay.unescape("/var/lib/with\\040space\\011tab\\134slash")).isEqualTo(
                "/var/lib/with space\ttab\\slash");
        assertThat(RootfsOverlay.unescape("/plain/path")).isEqualTo("/plain/path");
        assertThat(RootfsOverlay.unescape("/ends/with\\04")).isEqualTo("/ends/with\\04");
    }

    @Test
    void an_instances_rootfs_and_its_writes_live_in_its_bundle() {
        Path bundle = Path.of("/state/instances/i/bundle");

        assertThat(RootfsOverlay.mountPoint(bundle)).isEqualTo(bundle.resolve("rootfs"));
        assertThat(RootfsOverlay.upper(bundle)).isEqualTo(bundle.resolve("overlay/upper"));
    }
}
