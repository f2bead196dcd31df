package dev.nanofleet.node.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.node.testing.NodeHost;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmConfinementTest {

    @Test
    void each_instance_gets_a_stable_uid_above_every_ordinary_one() {
        UUID a = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        UUID b = UUID.fromString("7c9e6679-7425-40de-944b-e07fc1f90ae7");

        assertThat(VmConfinement.uid(a)).isEqualTo(VmConfinement.uid(a)).isNotEqualTo(VmConfinement.uid(b))
                .isBetween(VmConfinement.UID_BASE, VmConfinement.UID_BASE + 0xFFFFFF);
        assertThat(VmConfinement.qemuOptions(VmConfinement.uid(a), Path.of("/j"))).containsSubsequence("-runas",
                VmConfinement.uid(a) + ":" + VmConfinement.uid(a), "-chroot", "/j", "-sandbox")
                .anyMatch(o -> o.contains("elevateprivileges=allow") && o.contains("spawn=deny"));
    }

    @Test
    void the_rootfs_is_handed_to_the_vms_uid_with_the_images_owners_and_modes_kept_where_nine_p_reads_them(
            @TempDir Path dir)
            throws IOException {
        NodeHost.require(); // chown needs root
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Path tool = Files.writeString(Files.createDirectories(rootfs.resolve("bin")).resolve("tool"), "elf");
        Files.setAttribute(tool, "unix:mode", 04755);
        Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("tool"));
        int uid = VmConfinement.UID_BASE + 42;

        VmConfinement.prepareRootfs(rootfs, uid);
        VmConfinement.prepareRootfs(rootfs, uid); // a restart on the same bundle changes nothing

        assertThat(guestView(tool)).containsEntry("uid", 0).containsEntry("gid", 0).containsEntry("mode", 0104755);
        assertThat(Files.readAttributes(tool, "unix:uid,gid,mode")).containsEntry("uid", uid).containsEntry("gid", uid)
                .containsEntry("mode", 0100600);
        Path link = rootfs.resolve("bin/sh");
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readString(link)).isEqualTo("tool");
        assertThat(guestView(link)).containsEntry("mode", 0120777);
        assertThat(guestView(rootfs.resolve("bin"))).containsEntry("mode", 040755);
        assertThat(Files.readAttributes(rootfs.resolve("bin"), "unix:mode")).containsEntry("mode", 040700);
    }

    /** What 9p's mapped-xattr model shows the guest: little-endian 32-bit uid, gid and mode attributes. */
    private static Map<String, Integer> guestView(Path file) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        return Map.of("uid", read(view, "virtfs.uid"), "gid", read(view, "virtfs.gid"), "mode",
                read(view, "virtfs.mode"));
    }

    private static int read(UserDefinedFileAttributeView view, String name) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(view.size(name)).order(ByteOrder.LITTLE_ENDIAN);
        view.read(name, buf);
        return buf.flip().getInt();
    }
}
