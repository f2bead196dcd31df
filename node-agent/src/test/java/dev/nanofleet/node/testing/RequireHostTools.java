package dev.nanofleet.node.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Disables a test class (before Quarkus boots) when runc, skopeo, umoci or busybox is missing or we are not root; fails
 * it instead under CI=true.
 */
public final class RequireHostTools implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try {
            HostTools.require("runc", "skopeo", "umoci", "busybox");
            return ConditionEvaluationResult.enabled("host tools present");
        } catch (org.opentest4j.TestAbortedException e) {
            return ConditionEvaluationResult.disabled(e.getMessage());
        }
    }
}
