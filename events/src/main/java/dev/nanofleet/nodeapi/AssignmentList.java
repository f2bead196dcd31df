package dev.nanofleet.nodeapi;

import java.util.List;

/**
 * Every instance assigned to a node. The agent converges to this whole list on each pass (level-triggered), so a missed
 * message or a restart never leaves an instance behind.
 *
 * @param privateNetworks the private networks of the tenants the node hosts ({@link PrivateNetwork}); empty when
 *        control-api allocates none (an earlier version, or none configured): the node then keeps its own per-node
 *        tenant subnets and no instance reaches another node
 * @param osUpgrade the node OS upgrade an operator asked this node to install; null when none is to be done (and from
 *        a control-api older than the field)
 */
public record AssignmentList(String nodeName, List<Assignment> assignments, List<PrivateNetwork> privateNetworks,
        OsUpgradeOrder osUpgrade) {

    public AssignmentList {
        privateNetworks = privateNetworks == null ? List.of() : List.copyOf(privateNetworks);
    }

    /** A list without an OS upgrade. */
    public AssignmentList(String nodeName, List<Assignment> assignments, List<PrivateNetwork> privateNetworks) {
        this(nodeName, assignments, privateNetworks, null);
    }

    /** A list without private networks. */
    public AssignmentList(String nodeName, List<Assignment> assignments) {
        this(nodeName, assignments, List.of());
    }
}
