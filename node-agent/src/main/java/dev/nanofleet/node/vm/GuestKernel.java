package dev.nanofleet.node.vm;

import dev.nanofleet.node.host.Exec;
import dev.nanofleet.node.host.Files2;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The guest kernel: Debian's {@code linux-image-amd64} (its versioned dependency, e.g.
 * {@code linux-image-6.1.0-56-amd64}), fetched with {@code apt-get download} and unpacked with {@code dpkg-deb -x}
 * (nothing is installed on the host), of which only {@code vmlinuz} and the virtio/9p/net modules the guest init loads are
 * kept under {@code <cache>/<package>/}; {@code <cache>/<meta-package>.current} names the versioned package. Fetched
 * once, when missing; delete the cache directory to pick up a newer kernel after {@code apt-get update}.
 *
 * @param vmlinuz the kernel image
 * @param modules the modules to insmod, in load order
 * @param release the kernel release, e.g. {@code 6.1.0-56-amd64}
 * @param purposeBuilt true for the kernel of {@code deploy/guest-kernel/build}, false for a Debian one
 */
public record GuestKernel(Path vmlinuz, List<Path> modules, String release, boolean purposeBuilt) {

    /** A Debian kernel. */
    public GuestKernel(Path vmlinuz, List<Path> modules, String release) {
        this(vmlinuz, modules, release, false);
    }

    /**
     * Guest memory the kernel, the init and the page cache need on top of the instance's request: Debian's kernel with
     * its modules takes about 40 MiB more than the purpose-built one.
     */
    public int memoryOverheadMiB() {
        return purposeBuilt ? 32 : 64;
    }

    /** Debian's kernel does not boot in less than 128 MiB; the purpose-built one boots in 48. */
    public int minMemoryMiB() {
        return purposeBuilt ? 64 : 128;
    }

    /** Loaded in this order (dependencies first); read from the {@code depends=} of each module. */
    public static final List<String> MODULES = List.of("virtio_ring", "virtio", "virtio_pci_legacy_dev",
            "virtio_pci_modern_dev", "virtio_pci", "9pnet", "9pnet_virtio", "netfs", "fscache", "9p", "virtio_console",
            "failover",
            "net_failover", "virtio_net");

    public static final String DEFAULT_META_PACKAGE = "linux-image-amd64";
    /**
     * Names the purpose-built kernel (tinyconfig plus virtio, 9p, virtio-net and the console built in, no modules) that
     * {@code deploy/guest-kernel/build} compiles into {@code <cache>/nanofleet/}. It boots in about a quarter of the time
     * of Debian's and needs less guest memory.
     */
    public static final String PURPOSE_BUILT = "nanofleet";

    private static final Logger LOG = System.getLogger(GuestKernel.class.getName());
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern DEPENDS = Pattern.compile("Depends:\\s*(linux-image-[0-9][^\\s]*)");

    /**
     * The cached kernel for {@code metaPackage}, fetching it into {@code cacheDir} first when it is missing.
     *
     * @throws IllegalStateException with a reason for a person when apt or dpkg-deb fail
     */
    public static synchronized GuestKernel ensure(Path cacheDir, String metaPackage) {
        if (PURPOSE_BUILT.equals(metaPackage)) {
            Optional<GuestKernel> built = loadBuilt(cacheDir.resolve(PURPOSE_BUILT));
            if (built.isPresent()) {
                return built.get();
            }
            LOG.log(Level.WARNING, "event=guest-kernel.fallback reason=\"no purpose-built kernel in {0}"
                    + " (deploy/guest-kernel/build makes it); using Debian''s {1}\"", cacheDir.resolve(PURPOSE_BUILT),
                    DEFAULT_META_PACKAGE);
            metaPackage = DEFAULT_META_PACKAGE;
        }
        // the meta package's versioned dependency as resolved when it was fetched: no apt call once cached
        Path pointer = cacheDir.resolve(metaPackage + ".current");
        try {
            if (Files.isRegularFile(pointer)) {
                Optional<GuestKernel> cached = load(cacheDir.resolve(Files.readString(pointer).strip()));
                if (cached.isPresent()) {
                    return cached.get();
                }
            }
        } catch (IOException e) {
            // resolve again below
        }
        String pkg = resolvePackage(metaPackage);
        Path dir = cacheDir.resolve(pkg);
        Optional<GuestKernel> cached = load(dir);
        if (cached.isPresent()) {
            writePointer(pointer, pkg);
            return cached.get();
        }
        long began = System.nanoTime();
        Path work = dir.resolveSibling(pkg + ".tmp");
        try {
            Files2.deleteTree(work);
            Files.createDirectories(work);
            // apt drops privileges to _apt for the download; the directory must let it write
            work.toFile().setWritable(true, false);
            Exec.Result download = Exec.run(List.of("sh", "-c", "cd \"$1\" && apt-get download \"$2\"", "sh",
                    work.toString(), pkg), TOOL_TIMEOUT);
            if (!download.ok()) {
                throw new IllegalStateException("apt-get download " + pkg + " failed: " + download.message());
            }
            Path deb;
            try (Stream<Path> files = Files.list(work)) {
                deb = files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("apt-get download " + pkg + " left no .deb"));
            }
            Path tree = work.resolve("x");
            Exec.Result extract = Exec.run(List.of("dpkg-deb", "-x", deb.toString(), tree.toString()), TOOL_TIMEOUT);
            if (!extract.ok()) {
                throw new IllegalStateException("dpkg-deb -x " + deb + " failed: " + extract.message());
            }
            Path keep = work.resolve("keep");
            Files.createDirectories(keep.resolve("modules"));
            Path vmlinuz;
            try (Stream<Path> boot = Files.list(tree.resolve("boot"))) {
                vmlinuz = boot.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                        .orElseThrow(() -> new IllegalStateException(pkg + " holds no boot/vmlinuz-*"));
            }
            String release = vmlinuz.getFileName().toString().substring("vmlinuz-".length());
            Files.copy(vmlinuz, keep.resolve("vmlinuz"));
            Files.writeString(keep.resolve("release"), release);
            Path moduleTree = tree.resolve("lib/modules/" + release + "/kernel");
            for (String module : MODULES) {
                Path found;
                try (Stream<Path> walk = Files.walk(moduleTree)) {
                    found = walk.filter(p -> p.getFileName().toString().equals(module + ".ko")).findFirst()
                            .orElseThrow(() -> new IllegalStateException(pkg + " has no module " + module
                                    + ".ko (compressed modules are not supported)"));
                }
                Files.copy(found, keep.resolve("modules/" + module + ".ko"));
            }
            Files2.deleteTree(dir);
            Files.createDirectories(dir.getParent());
            Files.move(keep, dir, StandardCopyOption.ATOMIC_MOVE);
            Files2.deleteTree(work);
            LOG.log(Level.INFO, "event=guest-kernel.fetched package={0} release={1} tookMs={2}", pkg, release,
                    (System.nanoTime() - began) / 1_000_000);
        } catch (IOException e) {
            throw new IllegalStateException("cannot fetch the guest kernel " + pkg + ": " + e.getMessage(), e);
        } finally {
            Files2.deleteTree(work);
        }
        GuestKernel fetched = load(dir)
                .orElseThrow(() -> new IllegalStateException("guest kernel incomplete in " + dir));
        writePointer(pointer, pkg);
        return fetched;
    }

    private static void writePointer(Path pointer, String pkg) {
        try {
            Files.writeString(pointer, pkg);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "event=guest-kernel.pointer.failed file={0} reason=\"{1}\"", pointer,
                    e.getMessage());
        }
    }

    /** The versioned package {@code metaPackage} depends on; itself when it already names a versioned one. */
    static String resolvePackage(String metaPackage) {
        if (metaPackage.matches("linux-image-[0-9].*")) {
            return metaPackage;
        }
        Exec.Result depends = Exec.run(List.of("apt-cache", "depends", metaPackage), Duration.ofSeconds(60));
        if (!depends.ok()) {
            throw new IllegalStateException("apt-cache depends " + metaPackage + " failed: " + depends.message());
        }
        Matcher m = DEPENDS.matcher(depends.stdout());
        if (!m.find()) {
            throw new IllegalStateException(metaPackage + " depends on no linux-image-<version> package");
        }
        return m.group(1);
    }

    /** A kernel with every driver built in: {@code vmlinuz} and {@code release}, no modules to load. */
    private static Optional<GuestKernel> loadBuilt(Path dir) {
        Path vmlinuz = dir.resolve("vmlinuz");
        try {
            return Files.isRegularFile(vmlinuz)
                    ? Optional.of(new GuestKernel(vmlinuz, List.of(),
                            Files.readString(dir.resolve("release")).strip() + " (" + PURPOSE_BUILT + ")", true))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<GuestKernel> load(Path dir) {
        Path vmlinuz = dir.resolve("vmlinuz");
        if (!Files.isRegularFile(vmlinuz) || !Files.isRegularFile(dir.resolve("release"))) {
            return Optional.empty();
        }
        List<Path> modules = new ArrayList<>();
        for (String module : MODULES) {
            Path ko = dir.resolve("modules/" + module + ".ko");
            if (!Files.isRegularFile(ko)) {
                return Optional.empty();
            }
            modules.add(ko);
        }
        try {
            return Optional.of(new GuestKernel(vmlinuz, List.copyOf(modules),
                    Files.readString(dir.resolve("release")).strip()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
