package dev.nanofleet.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A/B fallback: slot A holds a broken root (one byte of its squashfs superblock flipped, as a bad update would leave
 * it). Its initrd cannot mount it (dm-verity refuses the block), the node reboots, systemd-boot counts A's tries down
 * to zero and then starts slot B, which boots. In every build A gets one try on the test's copy of the disk (two boots
 * under TCG, about a minute); {@code ./fleet node-image boot} ({@code -Dnanofleet.node-image.fallback=true}) keeps the
 * image's three (four boots).
 */
class FallbackIT {

    private static final Pattern PARTITION = Pattern.compile(
            "\"start\"\\s*:\\s*(\\d+)[^}]*?\"name\"\\s*:\\s*\"([a-z-]+)\"");

    /** The image's tries per slot: its boot entries are named {@code nanofleet-<slot>+3.conf}. */
    private static final int IMAGE_TRIES = 3;

    @Test
    void a_slot_that_never_boots_falls_back_to_the_other_once_its_tries_are_spent(@TempDir Path tmp)
            throws Exception {
        NodeImage image = NodeImage.get();
        int tries = Boolean.getBoolean("nanofleet.node-image.fallback") ? IMAGE_TRIES : 1;
        try (QemuNode node = QemuNode.prepare(image, tmp, null)) {
            if (tries != IMAGE_TRIES) {
                node.renameOnEsp("loader/entries/nanofleet-a+" + IMAGE_TRIES + ".conf",
                        "nanofleet-a+" + tries + ".conf");
            }
            long rootA = partitionStart(node.disk, "root-a");
            try (RandomAccessFile disk = new RandomAccessFile(node.disk.toFile(), "rw")) {
                disk.seek(rootA); // the squashfs magic: the first block the initrd's mount reads
                int b = disk.read();
                disk.seek(rootA);
                disk.write(b ^ 0xff);
            }
            node.start();
            double fellBack = node.awaitConsole("nanofleet-initrd: root root-b verified", Duration.ofMinutes(15));
            String console = node.consoleText();
            long refusals = console.lines().filter(l -> l.contains("nanofleet-initrd: cannot mount the verified root")
                    || l.contains("dm-verity refused") || l.contains("verity") && l.contains("corrupted")).count();
            System.out.printf("[nanofleet] A/B fallback: slot B booted at %.1f s after slot A failed its %d tries (%d"
                    + " refusal lines on the console)%n", fellBack, tries, refusals);
            assertThat(console.split("nanofleet-initrd: root root-b verified")[0])
                    .as("slot A was never verified before B").doesNotContain("root root-a verified");
            assertThat(refusals).as("slot A refused on each of its tries").isGreaterThanOrEqualTo(tries);
        }
    }

    /** The byte offset of a GPT partition by name, from {@code sfdisk -J}. */
    static long partitionStart(Path disk, String name) throws Exception {
        String json = QemuNode.run(List.of("sfdisk", "-J", disk.toString()));
        Matcher m = PARTITION.matcher(json);
        while (m.find()) {
            if (m.group(2).equals(name)) {
                return Long.parseLong(m.group(1)) * 512;
            }
        }
        throw new IllegalStateException("no partition " + name + " in " + json);
    }
}
