package dev.nanofleet.tenantbilling.rating;

import dev.nanofleet.events.Isolation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One line of an invoice: a quantity of one resource, used by one deployment in one isolation mode while one price
 * version held, at its unit price. Amounts are exact ({@code quantity * unitPrice}, never rounded); only an invoice's
 * amount due is rounded.
 *
 * @param kind usage of the invoice's period, a correction of an earlier period's, or the free grant's credit
 * @param from start of the span the line covers (the invoice's period or a price version's part of it; for an
 *            adjustment, the corrected period's)
 * @param to end of that span, exclusive
 * @param quantity in the resource's unit; negative for credits and for adjustments that give back
 * @param amount quantity times unit price, exact
 */
public record LineItem(Kind kind, UUID deploymentId, Isolation isolation, Resource resource, String priceVersion,
        Instant from, Instant to, BigDecimal quantity, BigDecimal unitPrice, BigDecimal amount) {

    public enum Kind {
        USAGE,
        /** Usage of an earlier, finalised period learnt after its invoice was final (or a correction of it). */
        ADJUSTMENT,
        /** The monthly free grant, given back at the price of the usage it covers. */
        FREE_GRANT
    }

    public LineItem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(priceVersion, "priceVersion");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(amount, "amount");
    }
}
