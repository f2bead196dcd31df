package dev.nanofleet.node.testing;

import dev.nanofleet.node.host.Exec;
import java.time.Duration;
import java.util.List;

/** Runs a host command in a test and fails with its output when it fails. */
public final class Sh {
    private Sh() {
    }

    public static String run(String... command) {
        Exec.Result r = Exec.run(List.of(command), Duration.ofMinutes(2));
        if (!r.ok()) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.message());
        }
        return r.stdout();
    }
}
