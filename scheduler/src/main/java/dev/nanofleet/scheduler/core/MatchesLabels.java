package dev.nanofleet.scheduler.core;

import java.util.Map;
import java.util.Optional;

/**
 * The node carries every label the request requires ({@code zone=a}): an exact match per key, as a Kubernetes
 * {@code nodeSelector}. A request without a selector fits any node.
 */
public final class MatchesLabels implements NodeFilter {

    public static final String LABELS_MISMATCH = "node labels do not match";

    private static final Optional<String> MISMATCH = Optional.of(LABELS_MISMATCH);

    @Override
    public Optional<String> reject(PlacementRequest request, NodeFacts node) {
        Map<String, String> selector = request.nodeSelector();
        if (selector.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> labels = node.labels();
        for (Map.Entry<String, String> required : selector.entrySet()) {
            if (!required.getValue().equals(labels.get(required.getKey()))) {
                return MISMATCH;
            }
        }
        return Optional.empty();
    }
}
