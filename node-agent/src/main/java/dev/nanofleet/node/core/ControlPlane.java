package dev.nanofleet.node.core;

import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.nodeapi.UsageReport;
import java.security.PublicKey;
import java.util.List;
import java.util.UUID;

/**
 * What the agent says to control-api, for this node only. Implementations authenticate themselves and are thread-safe:
 * the heartbeat and the reconcile loop call them from different threads.
 *
 * <p>
 * Every method throws {@link ControlPlaneException} when control-api cannot be reached or answers with an unexpected
 * status; callers retry on their next pass rather than inside the call.
 */
public interface ControlPlane {

    /**
     * Registers (or re-registers) this node. Idempotent.
     *
     * @return the key control-api signs its log-read grants with (from the registration answer); never null
     */
    PublicKey register(NodeRegistration registration);

    /** Tells control-api this node is alive. */
    void heartbeat();

    /** The full desired list for this node (level-triggered: never a delta). Never null. */
    List<Assignment> fetchAssignments();

    /**
     * Reports one instance's state.
     *
     * @return {@link ReportOutcome#NOT_THIS_NODE} when control-api says the instance is not (or no longer) this node's
     */
    ReportOutcome report(UUID instanceId, InstanceStatusReport report);

    /** Sends usage samples of running instances; control-api drops those of instances not on this node. */
    void reportUsage(UsageReport report);

    enum ReportOutcome {
        ACCEPTED, NOT_THIS_NODE
    }
}
