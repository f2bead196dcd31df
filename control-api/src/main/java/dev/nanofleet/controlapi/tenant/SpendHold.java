package dev.nanofleet.controlapi.tenant;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A tenant's hard spend limit is reached: its deployments were stopped and it may not spend more until billing lifts
 * the hold. The figures are those billing sent, exact decimals in {@code currency}.
 *
 * @param since when billing found the limit reached (the time of its event)
 * @param periodEnd the end of the billing period the spend belongs to
 */
public record SpendHold(Instant since, BigDecimal limit, BigDecimal spend, String currency, Instant periodEnd) {

    public SpendHold {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(spend, "spend");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(periodEnd, "periodEnd");
    }

    /** Why, in words: {@code spend limit reached: 25.00 USD of 25.00 USD}. */
    public String reason() {
        return "spend limit reached: " + spend.toPlainString() + " " + currency + " of " + limit.toPlainString() + " "
                + currency;
    }
}
