package dev.nanofleet.tenantbilling.limit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A tenant's monthly spend limit.
 *
 * @param amount in the price list's currency, with at most 2 decimals, positive
 * @param alertThresholds percentages of the amount, each 1..100, ascending, without repeats (default 75, 90, 100)
 * @param hard whether reaching the amount stops the tenant's instances and refuses more (else alerts only)
 * @param updatedAt when it was last set
 */
public record SpendLimit(String tenant, BigDecimal amount, String currency, List<Integer> alertThresholds, boolean hard,
        Instant updatedAt) {

    public static final List<Integer> DEFAULT_THRESHOLDS = List.of(75, 90, 100);

    public SpendLimit {
        alertThresholds = List.copyOf(alertThresholds);
    }
}
