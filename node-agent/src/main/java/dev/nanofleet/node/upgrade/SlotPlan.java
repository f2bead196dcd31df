package dev.nanofleet.node.upgrade;

import dev.nanofleet.nodeapi.NodeRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an upgrade writes, without I/O: which slot is idle, which boot entries on the ESP belong to it, and the text of
 * its new entry. systemd-boot sorts the entries of one {@code sort-key} by {@code version}, highest first, and puts an
 * entry whose tries are spent ({@code +0-N}) last; so the new entry gets a version above every other one and three
 * tries ({@code +3}): the next boot starts it, and if it never gets blessed the old slot, still there, comes back.
 */
public final class SlotPlan {

    /** The tries a new slot gets before systemd-boot gives up on it (as the image's build gives each slot). */
    public static final int TRIES = 3;
    /** {@code nanofleet-a.conf}, {@code nanofleet-b+3.conf}, {@code nanofleet-a+0-3.conf}: a slot's entry. */
    private static final Pattern ENTRY_NAME = Pattern.compile("nanofleet-([ab])(\\+\\d+(-\\d+)?)?\\.conf");
    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^version\\s+(\\d+)\\s*$");
    private static final Pattern OPTIONS_LINE = Pattern.compile("(?m)^options\\s+(.*)$");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern DIGITS = Pattern.compile("[1-9][0-9]{0,17}");

    private SlotPlan() {
    }

    /** The slot the node did not boot from: the one an upgrade writes. */
    public static String idleSlot(String bootedSlot) {
        return switch (bootedSlot == null ? "" : bootedSlot) {
            case NodeRegistration.SLOT_A -> NodeRegistration.SLOT_B;
            case NodeRegistration.SLOT_B -> NodeRegistration.SLOT_A;
            default -> throw new IllegalArgumentException("the booted slot is unknown ('" + bootedSlot
                    + "'): no nanofleet.root=root-a|root-b on the kernel command line");
        };
    }

    /** The slot a boot entry's file name belongs to, if it is one of the node's entries. */
    public static Optional<String> slotOf(String entryFileName) {
        Matcher m = ENTRY_NAME.matcher(entryFileName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The file name of a new entry for {@code slot}, with all its tries left. */
    public static String entryFileName(String slot) {
        return "nanofleet-" + slot + "+" + TRIES + ".conf";
    }

    /** An entry's {@code version}, 0 when it has none. */
    public static long version(String entryText) {
        Matcher m = VERSION_LINE.matcher(entryText);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** A version above every existing entry's (by file name: text), so systemd-boot starts the new entry first. */
    public static long nextVersion(Map<String, String> entries) {
        return entries.values().stream().mapToLong(SlotPlan::version).max().orElse(0) + 1;
    }

    /**
     * The new entry for {@code slot}. The kernel options are the running entry's (console, panic, ...) without its
     * slot's {@code nanofleet.*} parameters, which are replaced by the new release's.
     */
    public static String entryText(String slot, long version, String rootHash, String dataBlocks,
            String runningEntryText) {
        if (!HEX.matcher(rootHash).matches()) {
            throw new IllegalArgumentException("the release's root hash is not 64 lower-case hex digits");
        }
        if (!DIGITS.matcher(dataBlocks).matches()) {
            throw new IllegalArgumentException("the release's data-blocks is not a positive number");
        }
        List<String> options = new ArrayList<>(List.of("nanofleet.roothash=" + rootHash, "nanofleet.root=root-" + slot,
                "nanofleet.data_blocks=" + dataBlocks));
        Matcher m = OPTIONS_LINE.matcher(runningEntryText == null ? "" : runningEntryText);
        if (m.find()) {
            for (String word : m.group(1).trim().split("\\s+")) {
                if (!word.isEmpty() && !word.startsWith("nanofleet.")) {
                    options.add(word);
                }
            }
        }
        return "title Nanofleet node (slot " + slot.toUpperCase(java.util.Locale.ROOT) + ")\n"
                + "sort-key nanofleet\n"
                + "version " + version + "\n"
                + "linux /nanofleet/" + slot + "/vmlinuz\n"
                + "initrd /nanofleet/" + slot + "/initrd.img\n"
                + "options " + String.join(" ", options) + "\n";
    }
}
