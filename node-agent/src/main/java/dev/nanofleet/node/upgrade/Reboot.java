package dev.nanofleet.node.upgrade;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Restarts the node into the slot systemd-boot picks. */
@FunctionalInterface
public interface Reboot {

    void reboot() throws IOException;

    /**
     * Runs {@code command} (by default {@code systemctl reboot}: an orderly shutdown, so the agent stops and the state
     * partition is unmounted cleanly); a non-zero exit is an error.
     */
    static Reboot command(List<String> command) {
        return () -> {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not return within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", command), e);
            }
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + output.strip());
            }
        };
    }
}
