package dev.nanofleet.tenantbilling.invoice;

import dev.nanofleet.tenantbilling.rating.Invoice;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An invoice as stored once final: never changes again.
 *
 * @param id derived from the tenant and the period, so a replay into an empty database gives the same id
 * @param number the tenant's invoice number, from 1 without gaps, in period order
 * @param finalizedAt the period's cutoff (its end plus the grace period), not the wall-clock time of finalising, so a
 *            replay gives the same value
 * @param deploymentNames the names of the deployments its lines name, read with the invoice (names never change);
 *            empty while it is being stored
 */
public record FinalInvoice(UUID id, String tenant, long number, Invoice invoice, Instant finalizedAt,
        Map<UUID, String> deploymentNames) {

    public FinalInvoice {
        deploymentNames = Map.copyOf(deploymentNames);
    }

    /** What people read: {@code NF-<tenant>-00001}. */
    public String displayNumber() {
        return "NF-%s-%05d".formatted(tenant, number);
    }
}
