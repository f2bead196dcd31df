package dev.nanofleet.tenantbilling.rating;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A span during which one instance ran billably on one node, with what it reserved.
 *
 * @param end exclusive; null while it still runs as far as the facts known tell (a rating window closes it)
 */
public record BilledInterval(String tenant, UUID deploymentId, UUID instanceId, String node, Isolation isolation,
        Resources resources, Instant start, Instant end) {

    public BilledInterval {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(start, "start");
    }
}
