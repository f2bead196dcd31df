package dev.nanofleet.node.logs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the agent's own log is read from, decided from the configuration and what the host has. Pure but for the
 * {@link Host} it is given.
 *
 * <p>
 * On the node OS the agent runs as the systemd unit {@value #UNIT}, whose output goes to the journal: it is read with
 * {@code journalctl}. Elsewhere ({@code ./fleet up}, a dev host) the launcher sends the agent's output to a file and
 * names it in {@code nanofleet.node.logs.agent-file}.
 */
public final class AgentLogSource {

    /** The agent's unit on the node OS ({@code deploy/node-image/overlay/etc/systemd/system}). */
    public static final String UNIT = "nanofleet-agent.service";

    /** What the host offers; the real one looks at the file system. */
    public interface Host {
        /** The path of an executable named {@code name} on the PATH, if any. */
        Optional<Path> executable(String name);

        boolean readableFile(Path file);

        /** The host as it is. */
        static Host real() {
            return new Host() {
                @Override
                public Optional<Path> executable(String name) {
                    String path = System.getenv("PATH");
                    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
                        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                            return Optional.of(Path.of(dir, name));
                        }
                    }
                    return Optional.empty();
                }

                @Override
                public boolean readableFile(Path file) {
                    return Files.isRegularFile(file) && Files.isReadable(file);
                }
            };
        }
    }

    /** How to read: run a command, or read a file; or why the log cannot be read here. */
    public sealed interface Plan {
    }

    /** Run this command and stream what it prints. */
    public record Command(List<String> argv) implements Plan {
        public Command {
            argv = List.copyOf(argv);
        }
    }

    /** Tail (and follow) this file, as an instance's output is read. */
    public record File(Path path) implements Plan {
    }

    /** Why the agent's log cannot be read on this node. */
    public record Unreadable(String why) implements Plan {
    }

    private AgentLogSource() {
    }

    /**
     * @param source {@code journal} or {@code file} ({@code nanofleet.node.logs.agent-source})
     * @param file {@code nanofleet.node.logs.agent-file}
     */
    public static Plan plan(String source, Optional<Path> file, int tail, boolean follow, Host host) {
        if (source.equals("journal")) {
            return host.executable("journalctl").<Plan>map(journalctl -> new Command(journal(journalctl, tail, follow)))
                    .orElse(new Unreadable("nanofleet.node.logs.agent-source is journal, but journalctl is not"
                            + " installed"));
        }
        if (file.isEmpty()) {
            return new Unreadable("nanofleet.node.logs.agent-file is unset, so the agent does not know where its"
                    + " output goes");
        }
        if (!host.readableFile(file.get())) {
            return new Unreadable(file.get() + " (nanofleet.node.logs.agent-file) is not a readable file");
        }
        return new File(file.get());
    }

    /** {@code journalctl -u nanofleet-agent.service -o short-iso --no-pager -n N [-f]}. */
    static List<String> journal(Path journalctl, int tail, boolean follow) {
        List<String> argv = new ArrayList<>(List.of(journalctl.toString(), "-u", UNIT, "-o", "short-iso",
                "--no-pager", "-n", Integer.toString(tail)));
        if (follow) {
            argv.add("-f");
        }
        return argv;
    }
}
