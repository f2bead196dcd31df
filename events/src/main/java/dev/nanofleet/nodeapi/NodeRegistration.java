package dev.nanofleet.nodeapi;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.util.Map;
import java.util.Set;

/**
 * What a node offers when it registers: the capacity left for instances after the node's own reserve, the isolation
 * modes it can run, placement labels, the agent's version and where control-api reaches the agent's own API (instance
 * logs).
 *
 * @param osVersion the node OS image version it booted ({@code /usr/share/nanofleet/image-version}); null on a host
 *        that does not run the node OS, or from an agent older than the field (both mean: unknown, no upgrades)
 * @param bootSlot the root slot it booted, {@value #SLOT_A} or {@value #SLOT_B} ({@code nanofleet.root=} on the kernel
 *        command line); null when unknown
 */
public record NodeRegistration(Resources allocatable, Set<Isolation> isolations, Map<String, String> labels,
        String agentVersion, String agentUrl, String osVersion, String bootSlot) {

    public static final String SLOT_A = "a";
    public static final String SLOT_B = "b";

    /** A registration without node OS facts (a host that does not run the node OS). */
    public NodeRegistration(Resources allocatable, Set<Isolation> isolations, Map<String, String> labels,
            String agentVersion, String agentUrl) {
        this(allocatable, isolations, labels, agentVersion, agentUrl, null, null);
    }

    public NodeRegistration(Resources allocatable, Set<Isolation> isolations, Map<String, String> labels,
            String agentVersion) {
        this(allocatable, isolations, labels, agentVersion, null);
    }
}
