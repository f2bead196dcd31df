package dev.nanofleet.node.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.node.controlplane.HttpControlPlane;
import dev.nanofleet.node.controlplane.NodeCredential;
import dev.nanofleet.node.testing.MovableClock;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.nodeapi.OsReleaseManifest;
import dev.nanofleet.nodeapi.OsUpgradeOrder;
import dev.nanofleet.nodeapi.OsUpgradeReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade end to end on the node's side, through the real node API client against a stub control-api: the slots
 * are regular files, the ESP a directory, the reboot a recorder.
 */
class OsUpgraderTest {

    private static final String OLD_HASH = "f".repeat(64);
    private static final String NEW_HASH = "0123456789abcdef".repeat(4);
    private static final int SLOT_BYTES = 1 << 20;

    private final StubControlApi stub = new StubControlApi("node-a");
    private final HttpClient http = HttpClient.newHttpClient();
    private final MovableClock clock = new MovableClock();
    private final List<String> reboots = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;
    private Path slotA;
    private Path slotB;
    private Path esp;
    private Path entries;
    private Path downloads;
    private HttpControlPlane controlPlane;
    private byte[] rootImage;

    @BeforeEach
    void node() throws IOException {
        slotA = Files.write(dir.resolve("root-a"), filled('A', SLOT_BYTES));
        slotB = Files.write(dir.resolve("root-b"), filled('B', SLOT_BYTES));
        esp = Files.createDirectories(dir.resolve("efi"));
        entries = Files.createDirectories(esp.resolve("loader/entries"));
        for (String slot : List.of("a", "b")) {
            Path kernels = Files.createDirectories(esp.resolve("nanofleet").resolve(slot));
            Files.writeString(kernels.resolve("vmlinuz"), "old kernel " + slot);
            Files.writeString(kernels.resolve("initrd.img"), "old initrd " + slot);
        }
        // slot A booted and blessed; slot B the fallback, as the image's build leaves them after the first boot
        Files.writeString(entries.resolve("nanofleet-a.conf"), entry("a", 2, OLD_HASH));
        Files.writeString(entries.resolve("nanofleet-b+3.conf"), entry("b", 1, OLD_HASH));
        downloads = dir.resolve("state/os-upgrade");

        rootImage = filled('N', 300_000);
        stub.osReleases.put("v2", Map.of("root.img", rootImage, "roothash", (NEW_HASH + "\n").getBytes(
                StandardCharsets.US_ASCII), "data-blocks", "74\n".getBytes(StandardCharsets.US_ASCII), "vmlinuz",
                "new kernel".getBytes(StandardCharsets.US_ASCII), "initrd.img",
                "new initrd".getBytes(StandardCharsets.US_ASCII)));
        controlPlane = new HttpControlPlane(http, URI.create(stub.baseUrl()), "node-a", new NodeCredential(http,
                URI.create(stub.baseUrl()), "node-a", dir.resolve("state"), Optional.of(StubControlApi.JOIN_TOKEN)),
                clock);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void the_idle_slot_gets_the_image_the_esp_its_kernel_and_entry_and_the_node_reboots_once_drained()
            throws IOException {
        AtomicInteger polls = new AtomicInteger();
        OsUpgrader.Outcome outcome = upgrader(() -> polls.incrementAndGet() > 2, Duration.ofMinutes(10))
                .run("v2", "v1", "a");

        assertThat(outcome).isEqualTo(OsUpgrader.Outcome.REBOOTING);
        byte[] b = Files.readAllBytes(slotB);
        assertThat(Arrays.copyOf(b, rootImage.length)).isEqualTo(rootImage);
        // a partition is not truncated: what follows the image stays
        assertThat(b).hasSize(SLOT_BYTES);
        assertThat(b[rootImage.length]).isEqualTo((byte) 'B');
        assertThat(Files.readAllBytes(slotA)).isEqualTo(filled('A', SLOT_BYTES));
        assertThat(Files.readString(esp.resolve("nanofleet/b/vmlinuz"))).isEqualTo("new kernel");
        assertThat(Files.readString(esp.resolve("nanofleet/b/initrd.img"))).isEqualTo("new initrd");
        assertThat(Files.readString(esp.resolve("nanofleet/a/vmlinuz"))).isEqualTo("old kernel a");
        assertThat(entryFiles()).containsExactly("nanofleet-a.conf", "nanofleet-b+3.conf");
        assertThat(Files.readString(entries.resolve("nanofleet-b+3.conf"))).isEqualTo(
                """
                        title Nanofleet node (slot B)
                        sort-key nanofleet
                        version 3
                        linux /nanofleet/b/vmlinuz
                        initrd /nanofleet/b/initrd.img
                        options nanofleet.roothash=%s nanofleet.root=root-b nanofleet.data_blocks=74 console=ttyS0,115200 panic=5 ro
                        """
                        .formatted(NEW_HASH));
        assertThat(Files.readString(entries.resolve("nanofleet-a.conf"))).isEqualTo(entry("a", 2, OLD_HASH));
        assertThat(reboots).containsExactly("reboot");
        assertThat(stub.osUpgradeReports).extracting(OsUpgradeReport::state).containsExactly("installing",
                "installing", "draining", "rebooting");
        assertThat(stub.osUpgradeReports).allSatisfy(r -> assertThat(r.version()).isEqualTo("v2"));
        assertThat(stub.osUpgradeReports.get(2).detail()).startsWith("root-b written");
        assertThat(stub.osUpgradeReports.get(3).detail()).startsWith("drained; rebooting into slot b");
        assertThat(downloads.resolve("v2")).doesNotExist();
    }

    @Test
    void a_node_booted_from_b_writes_slot_a_and_replaces_a_spent_entry_of_it() throws IOException {
        Files.delete(entries.resolve("nanofleet-a.conf"));
        Files.delete(entries.resolve("nanofleet-b+3.conf"));
        // A fell back: its tries are spent; B runs, blessed
        Files.writeString(entries.resolve("nanofleet-a+0-3.conf"), entry("a", 2, OLD_HASH));
        Files.writeString(entries.resolve("nanofleet-b.conf"), entry("b", 1, OLD_HASH));

        assertThat(upgrader(() -> true, Duration.ZERO).run("v2", "v1", "b")).isEqualTo(
                OsUpgrader.Outcome.REBOOTING);

        assertThat(Arrays.copyOf(Files.readAllBytes(slotA), rootImage.length)).isEqualTo(rootImage);
        assertThat(Files.readAllBytes(slotB)).isEqualTo(filled('B', SLOT_BYTES));
        assertThat(entryFiles()).containsExactly("nanofleet-a+3.conf", "nanofleet-b.conf");
        String entry = Files.readString(entries.resolve("nanofleet-a+3.conf"));
        assertThat(entry).contains("version 3\n", "linux /nanofleet/a/vmlinuz\n",
                "options nanofleet.roothash=" + NEW_HASH + " nanofleet.root=root-a nanofleet.data_blocks=74 ");
        assertThat(Files.readString(esp.resolve("nanofleet/a/vmlinuz"))).isEqualTo("new kernel");
    }

    @Test
    void a_file_whose_sha256_does_not_match_the_manifest_is_refused_and_nothing_is_written() throws IOException {
        byte[] tampered = rootImage.clone();
        tampered[1000] ^= 1;
        stub.tamperedFiles.put("root.img", tampered);
        Map<String, byte[]> before = snapshot();

        assertThat(upgrader(() -> true, Duration.ZERO).run("v2", "v1", "a")).isEqualTo(OsUpgrader.Outcome.FAILED);

        assertThat(snapshot()).containsExactlyInAnyOrderEntriesOf(before);
        assertThat(reboots).isEmpty();
        assertThat(stub.osUpgradeReports).extracting(OsUpgradeReport::state).containsExactly("installing",
                "failed");
        assertThat(stub.osUpgradeReports.getLast().detail()).contains("root.img", "sha256",
                "does not match the manifest", "nothing was written");
        assertThat(downloads.resolve("v2")).doesNotExist();
    }

    @Test
    void a_file_cut_short_on_the_way_is_refused_and_nothing_is_written() throws IOException {
        stub.tamperedFiles.put("vmlinuz", "new kern".getBytes(StandardCharsets.US_ASCII));
        Map<String, byte[]> before = snapshot();

        assertThat(upgrader(() -> true, Duration.ZERO).run("v2", "v1", "a")).isEqualTo(OsUpgrader.Outcome.FAILED);

        assertThat(snapshot()).containsExactlyInAnyOrderEntriesOf(before);
        assertThat(stub.osUpgradeReports.getLast().detail()).contains("vmlinuz", "8 bytes arrived");
    }

    @Test
    void a_release_whose_root_hash_is_not_one_fails_before_the_boot_path_is_touched() throws IOException {
        Map<String, byte[]> release = new TreeMap<>(stub.osReleases.get("v2"));
        release.put("roothash", "not a hash init=/bin/sh\n".getBytes(StandardCharsets.US_ASCII));
        stub.osReleases.put("v2", release);
        Map<String, byte[]> before = snapshot();

        assertThat(upgrader(() -> true, Duration.ZERO).run("v2", "v1", "a")).isEqualTo(OsUpgrader.Outcome.FAILED);

        assertThat(snapshot()).containsExactlyInAnyOrderEntriesOf(before);
        assertThat(stub.osUpgradeReports.getLast().detail()).contains("root hash");
    }

    @Test
    void an_unknown_release_a_host_without_the_node_os_or_an_unknown_boot_slot_fail_without_writing()
            throws IOException {
        Map<String, byte[]> before = snapshot();
        assertThat(upgrader(() -> true, Duration.ZERO).run("v9", "v1", "a")).isEqualTo(OsUpgrader.Outcome.FAILED);
        assertThat(stub.osUpgradeReports.getLast().detail()).contains("HTTP 404");
        assertThat(upgrader(() -> true, Duration.ZERO).run("v2", null, "a")).isEqualTo(OsUpgrader.Outcome.FAILED);
        assertThat(stub.osUpgradeReports.getLast().detail()).contains("does not run the node OS");
        assertThat(upgrader(() -> true, Duration.ZERO).run("v2", "v1", null)).isEqualTo(OsUpgrader.Outcome.FAILED);
        assertThat(stub.osUpgradeReports.getLast().detail()).contains("booted slot is unknown");
        assertThat(snapshot()).containsExactlyInAnyOrderEntriesOf(before);
        assertThat(reboots).isEmpty();
    }

    @Test
    void instances_that_do_not_leave_keep_the_node_up_only_until_the_drain_timeout() {
        Duration timeout = Duration.ofMinutes(5);
        Instant started = clock.instant();

        assertThat(upgrader(() -> false, timeout).run("v2", "v1", "a")).isEqualTo(OsUpgrader.Outcome.REBOOTING);

        assertThat(Duration.between(started, clock.instant())).isGreaterThanOrEqualTo(timeout)
                .isLessThan(timeout.plusSeconds(3));
        assertThat(stub.osUpgradeReports.getLast().detail()).contains("still ran after the drain timeout of 300 s");
        assertThat(reboots).containsExactly("reboot");
    }

    @Test
    void a_reboot_command_that_fails_is_reported_as_a_failure_once_the_node_is_still_up_after_a_grace_period() {
        OsUpgrader upgrader = new OsUpgrader(layout(), source(), controlPlane::reportOsUpgrade, () -> {
            throw new IOException("systemctl reboot exited with 1");
        }, () -> true, clock, clock::advance, Duration.ZERO, Duration.ofSeconds(2));
        Instant before = clock.instant();

        assertThat(upgrader.run("v2", "v1", "a")).isEqualTo(OsUpgrader.Outcome.FAILED);
        // a shutdown the command started (and that killed it) would have ended the agent during the grace period
        assertThat(Duration.between(before, clock.instant())).isGreaterThanOrEqualTo(OsUpgrader.REBOOT_GRACE);
        assertThat(stub.osUpgradeReports).extracting(OsUpgradeReport::state).endsWith("rebooting", "failed");
        assertThat(stub.osUpgradeReports.getLast().detail()).contains("still running 120 s after the reboot command",
                "exited with 1");
    }

    @Test
    void the_reboot_command_runs_and_its_failure_is_an_error() throws IOException {
        Path marker = dir.resolve("rebooted");
        Reboot.command(List.of("sh", "-c", "echo now > " + marker)).reboot();
        assertThat(marker).hasContent("now");
        assertThatThrownBy(() -> Reboot.command(List.of("sh", "-c", "echo refused; exit 3")).reboot())
                .isInstanceOf(IOException.class).hasMessageContaining("exited with 3").hasMessageContaining("refused");
    }

    @Test
    void an_order_in_the_assignment_list_reaches_the_trigger() {
        List<OsUpgradeOrder> orders = new CopyOnWriteArrayList<>();
        controlPlane.onOsUpgrade(orders::add);
        stub.osUpgrade = new OsUpgradeOrder("v2");
        controlPlane.fetchAssignments();
        stub.osUpgrade = null;
        controlPlane.fetchAssignments();
        assertThat(orders).containsExactly(new OsUpgradeOrder("v2"), null);
    }

    private OsUpgrader upgrader(java.util.function.BooleanSupplier drained, Duration drainTimeout) {
        return new OsUpgrader(layout(), source(), controlPlane::reportOsUpgrade, () -> reboots.add("reboot"),
                drained, clock, clock::advance, drainTimeout, Duration.ofSeconds(2));
    }

    private OsUpgrader.Layout layout() {
        return new OsUpgrader.Layout(slotA, slotB, esp, downloads);
    }

    private ReleaseSource source() {
        return new ReleaseSource() {
            @Override
            public OsReleaseManifest manifest(String version) {
                return controlPlane.osReleaseManifest(version);
            }

            @Override
            public InputStream open(String version, String file) {
                return controlPlane.openOsReleaseFile(version, file);
            }
        };
    }

    private List<String> entryFiles() throws IOException {
        try (Stream<Path> list = Files.list(entries)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every file of the slots and the ESP with its bytes. */
    private Map<String, byte[]> snapshot() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (Path root : List.of(slotA, slotB, esp)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    private static String entry(String slot, int version, String hash) {
        return "title Nanofleet node (slot " + slot.toUpperCase() + ")\nsort-key nanofleet\nversion " + version
                + "\nlinux /nanofleet/" + slot + "/vmlinuz\ninitrd /nanofleet/" + slot + "/initrd.img\noptions"
                + " nanofleet.roothash=" + hash + " nanofleet.root=root-" + slot
                + " nanofleet.data_blocks=46103 console=ttyS0,115200 panic=5 ro\n";
    }

    private static byte[] filled(char c, int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}
