package dev.nanofleet.node.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One record of the kernel's ring buffer as {@code /dev/kmsg} hands it out: {@code "pri,seq,usec,flags;text"}, then
 * optional continuation lines (each starting with a space: the record's dictionary, {@code " SUBSYSTEM=..."}), which
 * are skipped. Pure.
 *
 * @param priority syslog facility * 8 + level
 * @param seq the kernel's sequence number: grows by one per record, so a reader that opens the device again skips
 *        what it printed already
 * @param micros microseconds since boot (monotonic clock)
 * @param text the message; the kernel already escaped non-printable bytes as {@code \xNN}
 */
public record KmsgRecord(int priority, long seq, long micros, String text) {

    /** The record on {@code line}, or empty for a continuation line or anything not shaped like a record. */
    public static Optional<KmsgRecord> parse(String line) {
        if (line == null || line.isEmpty() || line.charAt(0) == ' ') {
            return Optional.empty();
        }
        int semicolon = line.indexOf(';');
        if (semicolon < 0) {
            return Optional.empty();
        }
        String[] prefix = line.substring(0, semicolon).split(",", -1);
        if (prefix.length < 3) {
            return Optional.empty();
        }
        try {
            int priority = Integer.parseInt(prefix[0]);
            long seq = Long.parseLong(prefix[1]);
            long micros = Long.parseLong(prefix[2]);
            if (priority < 0 || seq < 0 || micros < 0) {
                return Optional.empty();
            }
            String text = line.substring(semicolon + 1);
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            return Optional.of(new KmsgRecord(priority, seq, micros, text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Every record in what a reader of {@code /dev/kmsg} got, one per line, in order. */
    public static List<KmsgRecord> parseAll(String raw) {
        List<KmsgRecord> records = new ArrayList<>();
        raw.lines().forEach(line -> parse(line).ifPresent(records::add));
        return records;
    }

    /** The last {@code tail} of {@code records}. */
    public static List<KmsgRecord> last(List<KmsgRecord> records, int tail) {
        return records.subList(Math.max(0, records.size() - tail), records.size());
    }

    /** As {@code dmesg} prints it: {@code "[    5.140900] text"}, with a newline. */
    public String formatted() {
        return String.format(Locale.ROOT, "[%5d.%06d] %s%n", micros / 1_000_000, micros % 1_000_000, text);
    }
}
