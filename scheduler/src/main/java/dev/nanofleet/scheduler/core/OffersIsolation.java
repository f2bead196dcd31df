package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import java.util.Optional;

/** The node can run the requested isolation mode (a node without usable KVM offers only shared-kernel). */
public final class OffersIsolation implements NodeFilter {

    public static final String NO_HARDWARE_ISOLATION = "hardware isolation not offered";
    public static final String NO_SHARED_KERNEL = "shared kernel not offered";

    private static final Optional<String> NO_HARDWARE_ISOLATION_REASON = Optional.of(NO_HARDWARE_ISOLATION);
    private static final Optional<String> NO_SHARED_KERNEL_REASON = Optional.of(NO_SHARED_KERNEL);

    @Override
    public Optional<String> reject(PlacementRequest request, NodeFacts node) {
        if (node.offers(request.isolation())) {
            return Optional.empty();
        }
        return request.isolation() == Isolation.HARDWARE ? NO_HARDWARE_ISOLATION_REASON : NO_SHARED_KERNEL_REASON;
    }
}
