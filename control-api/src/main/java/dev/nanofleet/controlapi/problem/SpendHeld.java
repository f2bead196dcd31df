package dev.nanofleet.controlapi.problem;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * Why a request was refused (402 spend-limit-reached): the tenant's hard spend limit is reached, so nothing that would
 * spend more is accepted until billing lifts the hold. The figures become the problem's {@code limit}, {@code spend},
 * {@code currency} and {@code periodEnd} members.
 */
public record SpendHeld(BigDecimal limit, BigDecimal spend, String currency, Instant periodEnd) {

    public SpendHeld {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(spend, "spend");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(periodEnd, "periodEnd");
    }

    public String detail() {
        return "the tenant's spend limit of " + limit.toPlainString() + " " + currency + " is reached ("
                + spend.toPlainString() + " " + currency + " spent in the period ending " + periodEnd
                + "): nothing that spends more is accepted until the limit is raised or a new period begins;"
                + " stopping, scaling down, deleting and reading still work";
    }
}
