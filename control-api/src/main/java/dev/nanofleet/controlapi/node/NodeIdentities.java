package dev.nanofleet.controlapi.node;

import java.util.Map;

/**
 * The nodes' credentials, as the node gateway needs them (implemented by {@code enrollment.NodeCredentials}): the
 * labels a node's join token stamped, and revoking a node's credential when an operator removes it. A port, so the
 * node package does not depend on how nodes enroll. Both methods join the caller's transaction.
 */
public interface NodeIdentities {

    /** The labels stamped on the node at enrollment (by its join token); empty when it has no active credential. */
    Map<String, String> stampedLabels(String nodeName);

    /**
     * Revokes the node's active credential: its next request is refused.
     *
     * @return false when the node had none
     */
    boolean revoke(String nodeName, String actor);
}
