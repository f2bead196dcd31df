package dev.nanofleet.node.health;

import dev.nanofleet.node.core.HealthChecks.Watch;
import java.time.Duration;

/** Picks the probe of a check's type. */
public final class Probes implements Probe {

    private final Probe http;
    private final Probe tcp;
    private final Probe exec;

    public Probes(Probe http, Probe tcp, Probe exec) {
        this.http = http;
        this.tcp = tcp;
        this.exec = exec;
    }

    @Override
    public ProbeResult probe(Watch target, Duration timeout) {
        Probe probe = switch (target.check().type()) {
            case HTTP -> http;
            case TCP -> tcp;
            case EXEC -> exec;
        };
        try {
            return probe.probe(target, timeout);
        } catch (RuntimeException e) {
            // a bug in a probe must read as a failed check, never kill the schedule
            return ProbeResult.fail(target.check().type() + " check failed to run: " + e);
        }
    }

    /** {@code 2 s}, or {@code 500 ms} below a second. */
    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
