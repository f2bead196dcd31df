package dev.nanofleet.node.vm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes a cpio archive in the "newc" format, the one the Linux kernel unpacks as an initramfs. Only what an initramfs
 * needs: directories, regular files and symlinks, all owned by root. Parent directories are added on demand.
 */
final class Cpio implements AutoCloseable {

    private static final int DIR = 0040000;
    private static final int FILE = 0100000;
    private static final int SYMLINK = 0120000;

    private final OutputStream out;
    private final Set<String> dirs = new HashSet<>();
    private int inode = 1;
    private long written;

    Cpio(OutputStream out) {
        this.out = out;
    }

    void directory(String path) throws IOException {
        path = strip(path);
        if (path.isEmpty() || !dirs.add(path)) {
            return;
        }
        parents(path);
        entry(path, DIR | 0755, new byte[0]);
    }

    void file(String path, int mode, byte[] content) throws IOException {
        path = strip(path);
        parents(path);
        entry(path, FILE | (mode & 07777), content);
    }

    void symlink(String path, String target) throws IOException {
        path = strip(path);
        parents(path);
        entry(path, SYMLINK | 0777, target.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        entry("TRAILER!!!", 0, new byte[0]);
        pad(512);
        out.flush();
    }

    private void parents(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            directory(path.substring(0, slash));
        }
    }

    private void entry(String name, int mode, byte[] data) throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        hex(h, inode++); // ino
        hex(h, mode);
        hex(h, 0); // uid
        hex(h, 0); // gid
        hex(h, (mode & DIR) == DIR && (mode & FILE) != FILE ? 2 : 1); // nlink
        hex(h, 0); // mtime
        hex(h, data.length);
        hex(h, 0); // devmajor
        hex(h, 0); // devminor
        hex(h, 0); // rdevmajor
        hex(h, 0); // rdevminor
        hex(h, nameBytes.length);
        hex(h, 0); // check
        write(h.toString().getBytes(StandardCharsets.US_ASCII));
        write(nameBytes);
        pad(4);
        write(data);
        pad(4);
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        written += bytes.length;
    }

    private void pad(int to) throws IOException {
        while (written % to != 0) {
            out.write(0);
            written++;
        }
    }

    private static void hex(StringBuilder h, long value) {
        String s = Long.toHexString(value);
        h.append("0".repeat(8 - s.length())).append(s);
    }

    private static String strip(String path) {
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return path;
    }
}
