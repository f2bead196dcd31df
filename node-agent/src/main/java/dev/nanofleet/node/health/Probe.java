package dev.nanofleet.node.health;

import dev.nanofleet.node.core.HealthChecks.Watch;
import java.time.Duration;

/**
 * Runs one check of an instance once. Implementations never throw for the instance's failure (that is a failed
 * {@link ProbeResult} with words for a person) and give up after {@code timeout}. Thread-safe: checks of different
 * instances run at the same time.
 */
@FunctionalInterface
public interface Probe {

    ProbeResult probe(Watch target, Duration timeout);
}
