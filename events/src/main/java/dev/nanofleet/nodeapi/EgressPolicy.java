package dev.nanofleet.nodeapi;

import java.util.List;

/**
 * Where an instance may open connections beyond its node (TCP and UDP, through the node's NAT). Whatever the policy,
 * the node never lets an instance reach the platform's own addresses (instance pools, the nodes' networks), link-local
 * addresses ({@code 169.254.0.0/16}, where metadata-style services live) or the node itself: a policy only chooses
 * among the addresses beyond the platform.
 *
 * @param mode {@link Mode#ALLOW_ALL} (the default, as Fly.io and Cloud Run), {@link Mode#DENY_ALL} or
 *        {@link Mode#ALLOW_LIST}
 * @param allow for {@link Mode#ALLOW_LIST}, the destinations allowed; empty otherwise
 */
public record EgressPolicy(Mode mode, List<Destination> allow) {

    public static final EgressPolicy ALLOW_ALL = new EgressPolicy(Mode.ALLOW_ALL, List.of());
    public static final EgressPolicy DENY_ALL = new EgressPolicy(Mode.DENY_ALL, List.of());

    public enum Mode {
        /** Every address beyond the platform. */
        ALLOW_ALL,
        /** Nothing beyond the node. */
        DENY_ALL,
        /** Only the destinations listed. */
        ALLOW_LIST
    }

    /**
     * Destinations an allow-list lets an instance reach.
     *
     * @param cidr an IPv4 network in CIDR form with no host bits set, e.g. {@code 203.0.113.0/24}
     * @param ports destination ports (TCP and UDP alike), 1-65535; empty for every port and protocol
     */
    public record Destination(String cidr, List<Integer> ports) {
        public Destination {
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    public EgressPolicy {
        mode = mode == null ? Mode.ALLOW_ALL : mode;
        allow = allow == null || mode != Mode.ALLOW_LIST ? List.of() : List.copyOf(allow);
    }

    /** An allow-list of these destinations. */
    public static EgressPolicy allowList(List<Destination> allow) {
        return new EgressPolicy(Mode.ALLOW_LIST, allow);
    }
}
