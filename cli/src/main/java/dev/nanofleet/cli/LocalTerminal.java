package dev.nanofleet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The terminal this CLI runs in, through {@code stty} on {@code /dev/tty} (Java cannot switch a terminal's modes
 * itself): raw mode for an interactive exec session, so every key goes to the remote shell as typed, and the window
 * size. {@link #restore} puts the saved modes back.
 */
final class LocalTerminal {

    private final String saved;

    private LocalTerminal(String saved) {
        this.saved = saved;
    }

    /** Whether this process' stdin is a terminal. */
    static boolean stdinIsTerminal() {
        try {
            return new ProcessBuilder("sh", "-c", "test -t 0").redirectInput(ProcessBuilder.Redirect.INHERIT).start()
                    .waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Saves the terminal's modes and switches it to raw mode without echo. */
    static LocalTerminal raw() throws IOException {
        String saved = stty("-g").strip();
        stty("raw", "-echo");
        return new LocalTerminal(saved);
    }

    void restore() {
        try {
            stty(saved);
        } catch (IOException e) {
            // nothing better to do: the shell's `reset` fixes it
        }
    }

    /** Columns and rows; {80, 24} when unknown. */
    static int[] size() {
        try {
            String[] rowsCols = stty("size").strip().split("\\s+");
            return new int[]{Integer.parseInt(rowsCols[1]), Integer.parseInt(rowsCols[0])};
        } catch (IOException | RuntimeException e) {
            return new int[]{80, 24};
        }
    }

    private static String stty(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("stty"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(new java.io.File("/dev/tty")).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed");
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
