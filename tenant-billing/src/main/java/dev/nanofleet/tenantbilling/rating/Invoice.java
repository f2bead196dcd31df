package dev.nanofleet.tenantbilling.rating;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What a tenant owes for one billing period, as the rating core composes it (the service numbers and stores it).
 *
 * @param lines in a stable order: usage, adjustments, free grant; within each by deployment, isolation, resource,
 *            price version, span
 * @param total the exact sum of the lines' amounts
 * @param amountDue the total rounded half-even to the currency's minor unit (cents); negative is a credit
 */
public record Invoice(String tenant, Period period, String currency, List<LineItem> lines, BigDecimal total,
        BigDecimal amountDue) {

    public Invoice {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(currency, "currency");
        lines = List.copyOf(lines);
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(amountDue, "amountDue");
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }
}
