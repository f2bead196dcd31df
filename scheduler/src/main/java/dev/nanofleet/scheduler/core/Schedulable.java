package dev.nanofleet.scheduler.core;

import java.util.Optional;

/** A cordoned or draining node takes nothing new. */
public final class Schedulable implements NodeFilter {

    public static final String CORDONED = "node cordoned";

    @Override
    public Optional<String> reject(PlacementRequest request, NodeView node) {
        return node.schedulable() ? Optional.empty() : Optional.of(CORDONED);
    }
}
