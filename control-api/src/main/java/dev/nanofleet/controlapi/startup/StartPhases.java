package dev.nanofleet.controlapi.startup;

import dev.nanofleet.controlapi.deployment.InstanceEntity.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The phases of an instance's start, from its {@link Timeline}: each the time between two of its moments. Pure: what
 * {@link StartPhaseTimers} records, and what the startup benchmark prints.
 *
 * <table>
 * <tr><th>phase</th><th>from</th><th>to</th></tr>
 * <tr><td>relay</td><td>accepted (the API stored the replica)</td><td>relayed (the outbox published the request)</td></tr>
 * <tr><td>schedule</td><td>relayed</td><td>placed (the scheduler decided)</td></tr>
 * <tr><td>deliver</td><td>placed</td><td>delivered (the node saw it in its assignments)</td></tr>
 * <tr><td>pull</td><td>delivered</td><td>pulled (its image ready in the bundle)</td></tr>
 * <tr><td>start</td><td>pulled</td><td>started (its process running)</td></tr>
 * <tr><td>report</td><td>started</td><td>reported (control-api stored RUNNING)</td></tr>
 * <tr><td>total</td><td>accepted</td><td>reported</td></tr>
 * </table>
 *
 * A phase is left out when either end is unknown, when it would be negative (node and control-api clocks apart), and
 * {@code relay}, {@code schedule} and {@code total} for a replica that did not go straight from the request to its node
 * (it waited for room, or was moved): its wait says nothing about how fast the platform starts things.
 */
public final class StartPhases {

    public static final String RELAY = "relay";
    public static final String SCHEDULE = "schedule";
    public static final String DELIVER = "deliver";
    public static final String PULL = "pull";
    public static final String START = "start";
    public static final String REPORT = "report";
    public static final String TOTAL = "total";

    private StartPhases() {
    }

    /** The known phases of one timeline, in order. */
    public static Map<String, Duration> of(Timeline t) {
        Map<String, Duration> phases = new LinkedHashMap<>();
        boolean direct = t.relayedAt() != null;
        if (direct) {
            put(phases, RELAY, t.acceptedAt(), t.relayedAt());
            put(phases, SCHEDULE, t.relayedAt(), t.placedAt());
        }
        put(phases, DELIVER, t.placedAt(), t.deliveredAt());
        put(phases, PULL, t.deliveredAt(), t.pulledAt());
        put(phases, START, t.pulledAt(), t.startedAt());
        put(phases, REPORT, t.startedAt(), t.reportedAt());
        if (direct) {
            put(phases, TOTAL, t.acceptedAt(), t.reportedAt());
        }
        return phases;
    }

    private static void put(Map<String, Duration> phases, String phase, Instant from, Instant to) {
        if (from != null && to != null && !to.isBefore(from)) {
            phases.put(phase, Duration.between(from, to));
        }
    }
}
