package dev.nanofleet.node.vm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * A VM's {@code /etc/resolv.conf}: its tenant's private-network DNS, written by the host into the instance's own
 * rootfs (the overlay of its run, whose writes are the instance's) before the guest boots. The image is not trusted:
 * a symbolic link at {@code /etc} or at {@code /etc/resolv.conf} would send the host's write elsewhere on the host, so
 * neither is followed and such an image keeps what it has.
 */
final class GuestResolvConf {

    private GuestResolvConf() {
    }

    /**
     * Writes {@code content} to {@code rootfs/etc/resolv.conf}; false (nothing written) when {@code /etc} is not a
     * directory of the rootfs itself or the file is a link.
     */
    static boolean write(Path rootfs, String content) throws IOException {
        Path etc = rootfs.resolve("etc");
        if (!Files.exists(etc, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(etc);
        }
        if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path file = etc.resolve("resolv.conf");
        if (Files.isSymbolicLink(file) || Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file,
                LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (SeekableByteChannel out = Files.newByteChannel(file, Set.of(StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS))) {
            out.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
        }
        return true;
    }
}
