package dev.nanofleet.e2e.chaos;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The facts the fault suite compares: what the harness expects, and what the platform's parts say. */
public final class ChaosModel {

    private ChaosModel() {
    }

    /** A deployment the harness created (201) and has not deleted, with the replicas it last set. */
    public record Expected(String tenant, UUID id, String name, int replicas) {
    }

    /** A create whose first attempt ended in a connection error, retried with the same Idempotency-Key until 201. */
    public record RetriedCreate(String tenant, String name, String idempotencyKey, UUID id) {
    }

    /** A deployment as control-api shows it to its tenant ({@code state=all}: deleted ones too). */
    public record ObservedDeployment(String tenant, UUID id, String name, int replicas, boolean deleted, int cpuMillis,
            List<ObservedInstance> instances) {
    }

    /** One replica as control-api shows it. States are the API's lower-case names. */
    public record ObservedInstance(UUID id, String node, String state, String desiredState) {

        boolean runningAsDesired() {
            return "running".equals(state) && "running".equals(desiredState);
        }
    }

    /** What an event on the instances topic says: a placement, or a node agent's report of a new state. */
    public record InstanceReport(UUID instanceId, UUID deploymentId, String node, Kind kind, String state,
            Instant time) {

        public enum Kind {
            /** {@code instance.placed}: the scheduler put it on {@code node}. */
            PLACED,
            /** {@code instance.state-changed}: {@code node}'s agent reported {@code state} (upper-case). */
            STATE
        }
    }

    /** What tenant-billing bills a deployment so far: requested vCPU times seconds in a billed state. */
    public record Billed(UUID deploymentId, BigDecimal reservedVcpuSeconds) {
    }
}
