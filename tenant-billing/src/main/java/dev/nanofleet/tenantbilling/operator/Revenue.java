package dev.nanofleet.tenantbilling.operator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What operators see of the money: final invoices' revenue and usage not yet invoiced. Thread-safe.
 *
 * <p>
 * Revenue counts final invoices' exact line amounts, dated by the period they bill (adjustments by the period they
 * correct), within [from, to).
 */
public interface Revenue {

    record ByIsolation(String isolation, BigDecimal amount) {
    }

    record ByTenant(String tenant, BigDecimal amount) {
    }

    record ByDay(LocalDate day, BigDecimal amount) {
    }

    /**
     * @param unbilled exact cost of usage in periods not yet invoiced, as of {@code asOf}
     */
    record Summary(Instant from, Instant to, String currency, BigDecimal total, List<ByIsolation> byIsolation,
            List<ByTenant> byTenant, List<ByDay> byDay, BigDecimal unbilled, Instant asOf) {
    }

    Summary summary(Instant from, Instant to);

    /** The tenants with the most revenue in [from, to), largest first. */
    List<ByTenant> topTenants(Instant from, Instant to, int limit);
}
