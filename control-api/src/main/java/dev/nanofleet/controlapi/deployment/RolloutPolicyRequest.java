package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.controlapi.rollout.RolloutPolicy;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How new revisions roll out; omitted fields keep their current value (at create: the defaults). */
@Schema(name = "RolloutPolicy")
public record RolloutPolicyRequest(
        @Schema(description = "replicas over the count a rollout may add: a count or a percentage (rounded up)", defaultValue = "25%", pattern = "^(100|[1-9]?[0-9])%?$") String maxSurge,
        @Schema(description = "replicas under the count that may be unready during a rollout: a count or a percentage (rounded down)", defaultValue = "25%", pattern = "^(100|[1-9]?[0-9])%?$") String maxUnavailable,
        @Schema(description = "how long a replica without a health check must run to count as ready", defaultValue = "0", minimum = "0", maximum = "3600") Integer minReadySeconds,
        @Schema(description = "how long a rollout may go without progress before it fails", defaultValue = "600", minimum = "5", maximum = "86400") Integer progressDeadlineSeconds,
        @Schema(description = "return to the last completely rolled-out revision when a rollout fails", defaultValue = "true") Boolean autoRollback) {

    /** {@code base} with this request's fields over it; call only on a valid request. */
    RolloutPolicy over(RolloutPolicy base) {
        return new RolloutPolicy(maxSurge == null ? base.maxSurge() : maxSurge,
                maxUnavailable == null ? base.maxUnavailable() : maxUnavailable,
                minReadySeconds == null ? base.minReadySeconds() : minReadySeconds,
                progressDeadlineSeconds == null ? base.progressDeadlineSeconds() : progressDeadlineSeconds,
                autoRollback == null ? base.autoRollback() : autoRollback);
    }

    static RolloutPolicyRequest of(RolloutPolicy p) {
        return new RolloutPolicyRequest(p.maxSurge(), p.maxUnavailable(), p.minReadySeconds(),
                p.progressDeadlineSeconds(), p.autoRollback());
    }
}
