package dev.nanofleet.nodeapi;

import java.util.Map;
import java.util.Set;

/**
 * A node OS release: its version (the image's {@code /usr/share/nanofleet/image-version}) and each file with its
 * SHA-256 (lower-case hex) and size. The node refuses a file that does not match before writing anything.
 */
public record OsReleaseManifest(String version, Map<String, FileDigest> files) {

    /** The slot's squashfs followed by its dm-verity hash tree. */
    public static final String ROOT_IMAGE = "root.img";
    /** The slot's dm-verity root hash (hex, one line). */
    public static final String ROOT_HASH = "roothash";
    /** How many 4 KiB blocks of {@link #ROOT_IMAGE} are data; the hash tree follows them. */
    public static final String DATA_BLOCKS = "data-blocks";
    public static final String KERNEL = "vmlinuz";
    public static final String INITRD = "initrd.img";
    /** Every file a release has; nothing else is served or fetched. */
    public static final Set<String> FILES = Set.of(ROOT_IMAGE, ROOT_HASH, DATA_BLOCKS, KERNEL, INITRD);
    /** The manifest's own name in a release directory. */
    public static final String MANIFEST = "manifest.json";
    /** What a release version may be: it names a directory on control-api's side and a folder on the node's. */
    public static final String VERSION_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    public record FileDigest(String sha256, long bytes) {
    }
}
