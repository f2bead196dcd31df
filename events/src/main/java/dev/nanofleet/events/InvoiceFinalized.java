package dev.nanofleet.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * tenant-billing finalised a tenant's invoice for one billing period; it never changes after this.
 *
 * @param number the tenant's invoice number, counting from 1 without gaps
 * @param total the exact sum of the line items
 * @param amountDue the total rounded half-even to the currency's minor unit
 */
public record InvoiceFinalized(UUID invoiceId, String tenant, long number, Instant periodStart, Instant periodEnd,
        String currency, BigDecimal total, BigDecimal amountDue) implements EventPayload {

    @Override
    public String partitionKey() {
        return tenant;
    }
}
