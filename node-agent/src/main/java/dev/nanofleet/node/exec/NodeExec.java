package dev.nanofleet.node.exec;

import java.util.UUID;

/** Exec into whichever runtime of this node holds the instance: runc's, or the VMs' (when hardware is enabled). */
public final class NodeExec implements InstanceExec {

    private final RuncExec shared;
    private final GuestExec hardware;

    /** @param hardware null when this node runs no VMs */
    public NodeExec(RuncExec shared, GuestExec hardware) {
        this.shared = shared;
        this.hardware = hardware;
    }

    private InstanceExec holder(UUID id) {
        if (shared.holds(id)) {
            return shared;
        }
        if (hardware != null && hardware.holds(id)) {
            return hardware;
        }
        throw new ExecRefused(ExecRefused.Why.NOT_FOUND, "no instance " + id + " on this node");
    }

    @Override
    public void requireRunning(UUID id) {
        holder(id).requireRunning(id);
    }

    @Override
    public ExecSession open(UUID id, ExecRequest request, ExecListener listener) {
        return holder(id).open(id, request, listener);
    }
}
