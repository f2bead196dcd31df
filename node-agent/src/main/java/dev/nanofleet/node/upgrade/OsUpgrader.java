package dev.nanofleet.node.upgrade;

import dev.nanofleet.nodeapi.OsReleaseManifest;
import dev.nanofleet.nodeapi.OsUpgradeReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Installs a node OS release into the idle slot and reboots into it:
 * <ol>
 * <li>downloads every file of the release to the state partition, each checked against the manifest's size and
 * SHA-256 as it arrives; one mismatch and the upgrade fails with nothing on the boot path touched;</li>
 * <li>removes the idle slot's boot entries (the slot is about to hold half an image), writes {@code root.img} to the
 * idle slot's partition from its first byte (squashfs, then the dm-verity hash tree), the kernel and initrd to
 * {@code <esp>/nanofleet/<slot>/}, and last the slot's new entry ({@link SlotPlan}), each synced to disk;</li>
 * <li>reports {@code draining} (control-api drains the node), waits until no instance runs here or the drain timeout
 * passes, reports {@code rebooting} and reboots.</li>
 * </ol>
 * The new slot boots with three tries; the running slot stays as it is, so systemd-boot falls back to it by itself when
 * the new one never gets blessed (its agent never enrolls). Every step is reported to control-api; any error reports
 * {@code failed} with the reason.
 */
public final class OsUpgrader {

    private static final Logger LOG = Logger.getLogger(OsUpgrader.class);
    /** Room left on the state partition besides the download, for the agent's own files. */
    static final long SPACE_MARGIN = 16L << 20;
    private static final int MAX_DETAIL = 500;
    /** How long a node whose reboot command failed waits for a shutdown it may have started anyway. */
    static final Duration REBOOT_GRACE = Duration.ofMinutes(2);

    /** Where the slots, the ESP and the downloads are. */
    public record Layout(Path slotA, Path slotB, Path esp, Path downloads) {

        Path slotDevice(String slot) {
            return "a".equals(slot) ? slotA : slotB;
        }
    }

    /** How the upgrade ended here (control-api learns the rest from the registration after the reboot). */
    public enum Outcome {
        REBOOTING, FAILED
    }

    private final Layout layout;
    private final ReleaseSource source;
    private final UpgradeProgress progress;
    private final Reboot reboot;
    private final BooleanSupplier drained;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration drainTimeout;
    private final Duration drainPoll;

    /** Waits; a test's moves its clock instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public OsUpgrader(Layout layout, ReleaseSource source, UpgradeProgress progress, Reboot reboot,
            BooleanSupplier drained, Clock clock, Sleeper sleeper, Duration drainTimeout, Duration drainPoll) {
        this.layout = layout;
        this.source = source;
        this.progress = progress;
        this.reboot = reboot;
        this.drained = drained;
        this.clock = clock;
        this.sleeper = sleeper;
        this.drainTimeout = drainTimeout;
        this.drainPoll = drainPoll;
    }

    /**
     * Upgrades from {@code runningVersion}, booted from {@code bootedSlot}, to {@code version}.
     *
     * @return {@link Outcome#REBOOTING} once the reboot command ran, {@link Outcome#FAILED} otherwise (reported)
     */
    public Outcome run(String version, String runningVersion, String bootedSlot) {
        Path download = null;
        try {
            if (runningVersion == null) {
                throw new UpgradeException("this host does not run the node OS (no image version)");
            }
            if (!version.matches(OsReleaseManifest.VERSION_PATTERN)) {
                throw new UpgradeException("'" + version + "' is no release version");
            }
            String slot = SlotPlan.idleSlot(bootedSlot);
            report(version, OsUpgradeReport.INSTALLING, "downloading " + version + " for slot " + slot);
            OsReleaseManifest manifest = source.manifest(version);
            check(version, manifest);
            download = layout.downloads().resolve(version);
            Map<String, Path> files = download(version, manifest, download);

            String rootHash = Files.readString(files.get(OsReleaseManifest.ROOT_HASH), StandardCharsets.US_ASCII)
                    .strip();
            String dataBlocks = Files.readString(files.get(OsReleaseManifest.DATA_BLOCKS), StandardCharsets.US_ASCII)
                    .strip();
            Map<String, String> entries = entries();
            String running = entries.entrySet().stream()
                    .filter(e -> SlotPlan.slotOf(e.getKey()).orElse("").equals(bootedSlot)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            // before anything is written: a bad root hash or block count fails here
            String entry = SlotPlan.entryText(slot, SlotPlan.nextVersion(entries), rootHash, dataBlocks, running);

            report(version, OsUpgradeReport.INSTALLING, "writing root-" + slot);
            removeEntries(slot);
            Instant began = clock.instant();
            long bytes = writeSlot(files.get(OsReleaseManifest.ROOT_IMAGE), layout.slotDevice(slot));
            Duration took = Duration.between(began, clock.instant());
            Path kernelDir = Files.createDirectories(layout.esp().resolve("nanofleet").resolve(slot));
            replaceDurably(files.get(OsReleaseManifest.KERNEL), kernelDir.resolve(OsReleaseManifest.KERNEL));
            replaceDurably(files.get(OsReleaseManifest.INITRD), kernelDir.resolve(OsReleaseManifest.INITRD));
            Path entryFile = layout.esp().resolve("loader").resolve("entries").resolve(SlotPlan.entryFileName(slot));
            Files.createDirectories(entryFile.getParent());
            writeDurably(entry.getBytes(StandardCharsets.UTF_8), entryFile);
            deleteTree(download);
            download = null;
            String written = "root-" + slot + " written (" + (bytes >> 20) + " MiB in " + took.toMillis()
                    + " ms), entry " + entryFile.getFileName();
            LOG.infof("event=os-upgrade.installed version=%s slot=%s bytes=%d tookMs=%d entry=%s", version, slot,
                    bytes, took.toMillis(), entryFile.getFileName());

            report(version, OsUpgradeReport.DRAINING, written + "; draining");
            String drainedHow = awaitDrained();
            report(version, OsUpgradeReport.REBOOTING, drainedHow + "; rebooting into slot " + slot);
            LOG.infof("event=os-upgrade.rebooting version=%s slot=%s", version, slot);
            try {
                reboot.reboot();
            } catch (IOException e) {
                // the shutdown the command started may kill it (systemctl reboot ends with 143): only a node still
                // up after the grace period failed to reboot
                LOG.warnf("event=os-upgrade.reboot.unclear reason=\"%s\" graceS=%d", e.getMessage(),
                        REBOOT_GRACE.toSeconds());
                sleeper.sleep(REBOOT_GRACE);
                throw new IOException("still running " + REBOOT_GRACE.toSeconds() + " s after the reboot command ("
                        + e.getMessage() + ")", e);
            }
            return Outcome.REBOOTING;
        } catch (IOException | UpgradeException | RuntimeException e) {
            // whatever went wrong (control-api unreachable or refusing too), the node says so and stays as it is
            LOG.errorf("event=os-upgrade.failed version=%s reason=\"%s\"", version, e.getMessage());
            report(version, OsUpgradeReport.FAILED, String.valueOf(e.getMessage()));
            return Outcome.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report(version, OsUpgradeReport.FAILED, "the agent stopped during the upgrade");
            return Outcome.FAILED;
        } finally {
            if (download != null) {
                deleteQuietly(download);
            }
        }
    }

    private static void check(String version, OsReleaseManifest manifest) throws UpgradeException {
        if (manifest == null || !version.equals(manifest.version())) {
            throw new UpgradeException("the manifest is not " + version + "'s");
        }
        if (manifest.files() == null || !manifest.files().keySet().equals(OsReleaseManifest.FILES)) {
            throw new UpgradeException("the manifest does not list exactly " + OsReleaseManifest.FILES.stream()
                    .sorted().toList());
        }
    }

    /** Every file, checked against the manifest, in {@code dir}; throws at the first mismatch. */
    private Map<String, Path> download(String version, OsReleaseManifest manifest, Path dir)
            throws IOException, UpgradeException {
        deleteQuietly(dir);
        Files.createDirectories(dir);
        long needed = manifest.files().values().stream().mapToLong(OsReleaseManifest.FileDigest::bytes).sum();
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (usable < needed + SPACE_MARGIN) {
            throw new UpgradeException("the state partition has " + (usable >> 20) + " MiB free; the release needs "
                    + ((needed + SPACE_MARGIN) >> 20) + " MiB");
        }
        Map<String, Path> files = new TreeMap<>();
        for (String name : new java.util.TreeSet<>(manifest.files().keySet())) {
            OsReleaseManifest.FileDigest expected = manifest.files().get(name);
            Path target = dir.resolve(name);
            MessageDigest sha = sha256();
            long bytes;
            try (InputStream in = new DigestInputStream(source.open(version, name), sha)) {
                bytes = Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (bytes != expected.bytes()) {
                throw new UpgradeException(name + ": " + bytes + " bytes arrived, the manifest says "
                        + expected.bytes() + "; nothing was written");
            }
            if (!actual.equals(expected.sha256())) {
                throw new UpgradeException(name + ": sha256 " + actual + " does not match the manifest's "
                        + expected.sha256() + "; nothing was written");
            }
            files.put(name, target);
        }
        return files;
    }

    /** The node's boot entries on the ESP, by file name. */
    private Map<String, String> entries() throws IOException {
        Map<String, String> entries = new TreeMap<>();
        Path dir = layout.esp().resolve("loader").resolve("entries");
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            for (Path entry : list) {
                String name = entry.getFileName().toString();
                if (SlotPlan.slotOf(name).isPresent()) {
                    entries.put(name, Files.readString(entry, StandardCharsets.UTF_8));
                }
            }
        }
        return entries;
    }

    private void removeEntries(String slot) throws IOException {
        Path dir = layout.esp().resolve("loader").resolve("entries");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            for (Path entry : list) {
                if (SlotPlan.slotOf(entry.getFileName().toString()).orElse("").equals(slot)) {
                    Files.delete(entry);
                }
            }
        }
    }

    /** The image from the partition's first byte, synced; the partition is not truncated (it is a device). */
    private static long writeSlot(Path image, Path device) throws IOException {
        if (!Files.exists(device)) {
            throw new IOException("the slot's partition " + device + " does not exist");
        }
        long written = 0;
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(device, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 << 20);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    written += out.write(buffer, written);
                }
                buffer.clear();
            }
            out.force(true);
        }
        return written;
    }

    private static void replaceDurably(Path source, Path target) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
        sync(temporary);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeDurably(byte[] bytes, Path target) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".new");
        Files.write(temporary, bytes);
        sync(temporary);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Until no instance runs here, or the drain timeout; says which. */
    private String awaitDrained() throws InterruptedException {
        Instant deadline = clock.instant().plus(drainTimeout);
        while (!drained.getAsBoolean()) {
            if (!clock.instant().isBefore(deadline)) {
                return "instances still ran after the drain timeout of " + drainTimeout.toSeconds() + " s";
            }
            sleeper.sleep(drainPoll);
        }
        return "drained";
    }

    private void report(String version, String state, String detail) {
        String printable = detail.replaceAll("\\p{Cntrl}", " ");
        try {
            progress.report(new OsUpgradeReport(version, state, printable.length() > MAX_DETAIL
                    ? printable.substring(0, MAX_DETAIL)
                    : printable));
        } catch (RuntimeException e) {
            // the upgrade goes on: control-api learns the end from the registration after the reboot
            LOG.warnf("event=os-upgrade.report.failed version=%s state=%s reason=\"%s\"", version, state,
                    e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warnf("event=os-upgrade.cleanup.failed dir=%s reason=\"%s\"", dir, e.getMessage());
        }
    }

    /** A reason to stop that is no I/O error. */
    static final class UpgradeException extends Exception {
        UpgradeException(String message) {
            super(message);
        }
    }
}
