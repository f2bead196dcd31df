package dev.nanofleet.node.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestResolvConfTest {

    private static final String CONTENT = "nameserver 10.192.3.1\n";

    @TempDir
    Path dir;

    @Test
    void the_resolver_is_written_into_the_instances_rootfs_replacing_the_images() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc")).getParent();
        Files.writeString(rootfs.resolve("etc/resolv.conf"), "nameserver 8.8.8.8\nnameserver 8.8.4.4\n");

        assertThat(GuestResolvConf.write(rootfs, CONTENT)).isTrue();

        assertThat(rootfs.resolve("etc/resolv.conf")).hasContent(CONTENT.strip());
    }

    @Test
    void an_image_without_etc_gets_one() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));

        assertThat(GuestResolvConf.write(rootfs, CONTENT)).isTrue();
        assertThat(rootfs.resolve("etc/resolv.conf")).hasContent(CONTENT.strip());
    }

    @Test
    void a_link_at_etc_or_at_the_file_is_not_followed_out_of_the_rootfs() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("host-etc"));
        Path hostFile = Files.writeString(outside.resolve("resolv.conf"), "host's own\n");
        Path linkedEtc = Files.createDirectories(dir.resolve("a"));
        Files.createSymbolicLink(linkedEtc.resolve("etc"), outside);
        Path linkedFile = Files.createDirectories(dir.resolve("b/etc")).getParent();
        Files.createSymbolicLink(linkedFile.resolve("etc/resolv.conf"), hostFile);

        assertThat(GuestResolvConf.write(linkedEtc, CONTENT)).isFalse();
        assertThat(GuestResolvConf.write(linkedFile, CONTENT)).isFalse();
        assertThat(hostFile).hasContent("host's own");
    }
}
