package dev.nanofleet.tenantbilling.usage;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** What the nodes measured of one instance over time, for the portal's charts. Thread-safe. */
public interface InstanceSamples {

    /**
     * The instance's samples taken after {@code after}, oldest first, at most {@code limit}.
     *
     * @param tenant the caller's tenant, or empty for an operator, who may read any tenant's instance
     * @return empty for an instance the meter never heard of and, for a tenant, for another tenant's: the two are the
     *         same answer, so a tenant cannot learn which instance ids exist
     */
    Optional<InstanceSeries> series(Optional<String> tenant, UUID instanceId, Instant after, int limit);
}
