package dev.nanofleet.tenantbilling.limit;

import java.math.BigDecimal;
import java.util.List;

/**
 * Tenants' spend limits. Setting or removing one is checked at once against this period's spend: a raised or removed
 * limit lifts a hold, a lowered one may impose it. Thread-safe.
 */
public interface SpendLimits {

    SpendLimitStatus status(String tenant);

    /**
     * @param alertThresholds validated by the caller (see {@link SpendLimit}); null for the defaults
     */
    SpendLimitStatus set(String tenant, BigDecimal amount, List<Integer> alertThresholds, boolean hard, String actor);

    SpendLimitStatus remove(String tenant, String actor);
}
