package dev.nanofleet.tenantbilling.rating;

import dev.nanofleet.events.Isolation;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** The prices in force from {@code effectiveFrom} until the next version's start; one {@link Rates} per mode. */
public record PriceVersion(String id, Instant effectiveFrom, Map<Isolation, Rates> rates) {

    public PriceVersion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        rates = Map.copyOf(rates);
        for (Isolation isolation : Isolation.values()) {
            if (!rates.containsKey(isolation)) {
                throw new IllegalArgumentException("price version " + id + " has no rates for " + isolation);
            }
        }
    }

    public Rates rates(Isolation isolation) {
        return rates.get(isolation);
    }
}
