package dev.nanofleet.node.vm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What confines one VM's QEMU, so that a hostile guest (its root included) that breaks out of the emulator, or abuses
 * the 9p file server, holds nothing on the host: QEMU runs as a uid of its own that owns nothing but the VM's rootfs,
 * chrooted into an empty directory, in a mount namespace of its own, under QEMU's seccomp filter; and the rootfs is
 * shared with 9p {@code security_model=mapped-xattr}, so the guest's uids, gids, modes and special files exist only as
 * extended attributes of files the VM's uid owns with mode 0600 or 0700: guest root creating a setuid-root file creates
 * a plain file of the VM's uid on the host, and a symlink the guest makes is a plain file on the host, which no host
 * process will follow.
 */
final class VmConfinement {

    /** A VM's uid is this plus 24 bits of its instance id's hash: far above any uid a host or an image hands out. */
    static final int UID_BASE = 0x7000_0000;
    /**
     * QEMU's seccomp filter. {@code elevateprivileges} must stay {@code allow}: QEMU 7.2 installs the filter before
     * {@code -runas} drops root, so {@code deny} (which forbids setuid and setgid) kills QEMU at start-up. The uid change
     * still happens, once, before the guest runs.
     */
    static final String SANDBOX = "on,obsolete=deny,elevateprivileges=allow,spawn=deny,resourcecontrol=deny";

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private VmConfinement() {
    }

    /** The uid (and gid) the VM of {@code instanceId} runs as: stable across agent restarts, different per instance. */
    static int uid(UUID instanceId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(instanceId.toString().getBytes(StandardCharsets.US_ASCII));
            return UID_BASE + ((hash[0] & 0xff) << 16 | (hash[1] & 0xff) << 8 | (hash[2] & 0xff));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What QEMU runs under: a mount namespace of its own, in which the jail gets a {@code /proc} that shows QEMU only
     * itself ({@code hidepid=invisible,subset=pid}). QEMU's 9p server needs it in mapped-xattr mode: it sets and reads
     * the attributes through {@code /proc/self/fd/N/name}, which a bare jail lacks (every create then fails with
     * ENOENT). The mount lives and dies with the namespace; the host never sees it.
     */
    static List<String> launcher(Path jail) {
        return List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t proc -o nosuid,nodev,noexec,hidepid=invisible,subset=pid proc \"$1/proc\" && shift && exec \"$@\"",
                "nanofleet-vm", jail.toString());
    }

    /** QEMU's own confinement options; {@code jail} is an empty directory QEMU chroots into once it has set up. */
    static List<String> qemuOptions(int uid, Path jail) {
        return List.of("-runas", uid + ":" + uid, "-chroot", jail.toString(), "-sandbox", SANDBOX);
    }

    /** Creates the jail: owned by root, not writable by the VM's uid, empty but for the mount point of its /proc. */
    static void prepareJail(Path jail) throws IOException {
        Files.createDirectories(jail.resolve("proc"));
        for (Path dir : List.of(jail.resolve("proc"), jail)) {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        }
    }

    /**
     * Hands the rootfs to the VM's uid the way 9p's mapped-xattr model reads it: each file's owner, group, mode and
     * device number go into its {@code user.virtfs.*} attributes (what the guest sees), then the file itself becomes the
     * VM's, readable and writable by that uid only. A symbolic link becomes what 9p's mapped model makes of one: a
     * regular file holding the target, marked a link in its mode attribute (the 9p server reads links that way and
     * would not follow a real one). Idempotent: a file that carries the attributes already is left alone.
     */
    static void prepareRootfs(Path rootfs, int uid) throws IOException {
        Files.walkFileTree(rootfs, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                hand(dir, uid);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                hand(file, uid);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void hand(Path path, int uid) throws IOException {
        if (!Files.isSymbolicLink(path) && Files.getFileAttributeView(path, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS).list().contains("virtfs.mode")) {
            return; // handed over already: a restart on the same bundle, or a file the guest made
        }
        Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid,rdev", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) unix.get("mode");
        int type = mode & S_IFMT;
        if (type == S_IFLNK) {
            String target = Files.readSymbolicLink(path).toString();
            Files.delete(path);
            Files.writeString(path, target, StandardCharsets.UTF_8);
        } else if (type != S_IFDIR && type != S_IFREG) {
            // devices, fifos and sockets cannot carry user attributes either; 9p's mapped model keeps them as files
            Files.delete(path);
            Files.createFile(path);
        }
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        xattrs.write("virtfs.uid", le32((Integer) unix.get("uid")));
        xattrs.write("virtfs.gid", le32((Integer) unix.get("gid")));
        xattrs.write("virtfs.mode", le32(mode));
        if (type == S_IFCHR || type == S_IFBLK) {
            xattrs.write("virtfs.rdev", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong((Long) unix.get("rdev")).flip());
        }
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
        // the host mode only has to let QEMU (the owner) read and write; the guest sees the mode kept above
        Files.setAttribute(path, "unix:mode", type == S_IFDIR ? 0700 : 0600, LinkOption.NOFOLLOW_LINKS);
    }

    private static ByteBuffer le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).flip();
    }
}
