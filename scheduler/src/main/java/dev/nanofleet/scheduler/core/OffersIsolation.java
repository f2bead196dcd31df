package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import java.util.Optional;

/** The node can run the requested isolation mode (a node without usable KVM offers only shared-kernel). */
public final class OffersIsolation implements NodeFilter {

    public static final String NO_HARDWARE_ISOLATION = "hardware isolation not offered";
    public static final String NO_SHARED_KERNEL = "shared kernel not offered";

    @Override
    public Optional<String> reject(PlacementRequest request, NodeView node) {
        if (node.isolations().contains(request.isolation())) {
            return Optional.empty();
        }
        return Optional.of(request.isolation() == Isolation.HARDWARE ? NO_HARDWARE_ISOLATION : NO_SHARED_KERNEL);
    }
}
