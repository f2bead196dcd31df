package dev.nanofleet.node.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the node's kernel says about its size and the agent's own limits. */
public final class HostFacts {

    /** How {@code /proc/self/limits} names each rlimit that an OCI config can set. */
    private static final Map<String, String> LIMIT_NAMES = Map.ofEntries(Map.entry("Max cpu time", "RLIMIT_CPU"),
            Map.entry("Max file size", "RLIMIT_FSIZE"), Map.entry("Max data size", "RLIMIT_DATA"),
            Map.entry("Max stack size", "RLIMIT_STACK"), Map.entry("Max core file size", "RLIMIT_CORE"),
            Map.entry("Max resident set", "RLIMIT_RSS"), Map.entry("Max processes", "RLIMIT_NPROC"),
            Map.entry("Max open files", "RLIMIT_NOFILE"), Map.entry("Max locked memory", "RLIMIT_MEMLOCK"),
            Map.entry("Max address space", "RLIMIT_AS"), Map.entry("Max file locks", "RLIMIT_LOCKS"),
            Map.entry("Max pending signals", "RLIMIT_SIGPENDING"), Map.entry("Max msgqueue size", "RLIMIT_MSGQUEUE"),
            Map.entry("Max nice priority", "RLIMIT_NICE"), Map.entry("Max realtime priority", "RLIMIT_RTPRIO"),
            Map.entry("Max realtime timeout", "RLIMIT_RTTIME"));

    private static final Pattern LIMIT_LINE = Pattern.compile("^(Max [a-z ]+?)\\s{2,}(\\S+)\\s+(\\S+)");

    private HostFacts() {
    }

    /** The agent's hard rlimits by OCI name; absent entries and "unlimited" mean no cap. */
    public static Map<String, Long> hardLimits() {
        return parseLimits(readOrEmpty(Path.of("/proc/self/limits")));
    }

    static Map<String, Long> parseLimits(String procLimits) {
        Map<String, Long> limits = new HashMap<>();
        for (String line : procLimits.split("\n")) {
            Matcher m = LIMIT_LINE.matcher(line);
            if (m.find() && LIMIT_NAMES.containsKey(m.group(1)) && !"unlimited".equals(m.group(3))) {
                limits.put(LIMIT_NAMES.get(m.group(1)), Long.parseLong(m.group(3)));
            }
        }
        return limits;
    }

    public static int cpuCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** MemTotal from /proc/meminfo in MiB, if readable. */
    public static Optional<Long> memTotalMiB() {
        for (String line : readOrEmpty(Path.of("/proc/meminfo")).split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String kib = line.replaceAll("[^0-9]", "");
                return Optional.of(Long.parseLong(kib) / 1024);
            }
        }
        return Optional.empty();
    }

    /**
     * The node OS image version this host booted, from {@code imageVersionFile}
     * ({@code /usr/share/nanofleet/image-version} in the image); empty on a host that does not run the node OS.
     */
    public static Optional<String> osImageVersion(Path imageVersionFile) {
        String version = readOrEmpty(imageVersionFile).strip();
        return version.isEmpty() ? Optional.empty() : Optional.of(version);
    }

    /** The root slot the node OS booted ({@code a} or {@code b}), from {@code /proc/cmdline}; empty when unknown. */
    public static Optional<String> bootSlot() {
        return bootSlot(readOrEmpty(Path.of("/proc/cmdline")));
    }

    /** The slot named by {@code nanofleet.root=root-a|root-b} on a kernel command line. */
    static Optional<String> bootSlot(String cmdline) {
        for (String word : cmdline.strip().split("\\s+")) {
            if (word.equals("nanofleet.root=root-a")) {
                return Optional.of("a");
            }
            if (word.equals("nanofleet.root=root-b")) {
                return Optional.of("b");
            }
        }
        return Optional.empty();
    }

    private static String readOrEmpty(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            return "";
        }
    }
}
