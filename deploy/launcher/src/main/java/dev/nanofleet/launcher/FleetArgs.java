package dev.nanofleet.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * A launcher command and its options: {@code up [--nodes N]}, {@code down [--purge]}, {@code status}.
 *
 * @param command up, down or status
 * @param nodes the node count {@code --nodes} asked for; empty: 1 for {@code up}, what {@code up} recorded for the
 *        others (they must see the platform {@code up} made)
 * @param purge {@code down --purge}
 */
record FleetArgs(String command, OptionalInt nodes, boolean purge) {

    /** Where {@code up} records the node count, for later {@code down} and {@code status}. */
    static Path nodesRecord(Layout layout) {
        return layout.home().resolve("nodes");
    }

    /**
     * @throws IllegalArgumentException naming what is wrong
     */
    static FleetArgs parse(List<String> args) {
        String command = args.isEmpty() ? "status" : args.getFirst();
        if (!List.of("up", "down", "status").contains(command)) {
            throw new IllegalArgumentException("unknown command " + command + " (up [--nodes N], down [--purge],"
                    + " status)");
        }
        OptionalInt nodes = OptionalInt.empty();
        boolean purge = false;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--purge") && command.equals("down")) {
                purge = true;
            } else if ((arg.equals("--nodes") || arg.startsWith("--nodes=")) && command.equals("up")) {
                String value = arg.startsWith("--nodes=")
                        ? arg.substring("--nodes=".length())
                        : i + 1 < args.size() ? args.get(++i) : "";
                nodes = OptionalInt.of(count(value));
            } else {
                throw new IllegalArgumentException("unknown option " + arg + " for " + command
                        + " (up [--nodes N], down [--purge], status)");
            }
        }
        return new FleetArgs(command, nodes, purge);
    }

    private static int count(String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > FleetNetwork.MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be a number from 1 to " + FleetNetwork.MAX_NODES
                    + ", not '" + value + "'");
        }
        return n;
    }

    /** The node count to use: asked for; else 1 for {@code up}, what the last {@code up} recorded for the others. */
    int nodeCount(Layout layout) {
        if (nodes.isPresent()) {
            return nodes.getAsInt();
        }
        return command.equals("up") ? 1 : recorded(layout);
    }

    /** What the last {@code up} recorded, 1 if none did. */
    static int recorded(Layout layout) {
        Path record = nodesRecord(layout);
        try {
            return Files.isRegularFile(record) ? count(Files.readString(record).strip()) : 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + record, e);
        }
    }

    static void record(Layout layout, int nodes) {
        try {
            Files.createDirectories(layout.home());
            Files.writeString(nodesRecord(layout), nodes + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + nodesRecord(layout), e);
        }
    }
}
