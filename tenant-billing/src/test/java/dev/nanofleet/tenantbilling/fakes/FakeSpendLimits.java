package dev.nanofleet.tenantbilling.fakes;

import dev.nanofleet.tenantbilling.limit.SpendLimit;
import dev.nanofleet.tenantbilling.limit.SpendLimitStatus;
import dev.nanofleet.tenantbilling.limit.SpendLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spend limits in memory, per tenant, checked against a spend the test sets, as the real service does: a limit at or
 * below the spend holds a hard-limited tenant, a raised or removed one lifts the hold. Remembers who changed what.
 */
@Alternative
@ApplicationScoped
public class FakeSpendLimits implements SpendLimits {

    public static final Instant NOW = Instant.parse("2026-02-10T12:00:00Z");

    private final Map<String, SpendLimit> limits = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> spend = new ConcurrentHashMap<>();
    private final Map<String, Instant> held = new ConcurrentHashMap<>();
    private final List<String> changes = java.util.Collections.synchronizedList(new ArrayList<>());

    public void spent(String tenant, String amount) {
        spend.put(tenant, new BigDecimal(amount));
    }

    public List<String> changes() {
        return List.copyOf(changes);
    }

    public void clear() {
        limits.clear();
        spend.clear();
        held.clear();
        changes.clear();
    }

    @Override
    public SpendLimitStatus status(String tenant) {
        BigDecimal spent = spend.getOrDefault(tenant, BigDecimal.ZERO);
        SpendLimit limit = limits.get(tenant);
        List<Integer> crossed = limit == null
                ? List.of()
                : limit.alertThresholds().stream().filter(t -> spent.multiply(BigDecimal.valueOf(100))
                        .compareTo(limit.amount().multiply(BigDecimal.valueOf(t))) >= 0).toList();
        return new SpendLimitStatus(limit, FakeUsage.PERIOD, spent, crossed, held.get(tenant));
    }

    @Override
    public SpendLimitStatus set(String tenant, BigDecimal amount, List<Integer> alertThresholds, boolean hard,
            String actor) {
        limits.put(tenant, new SpendLimit(tenant, amount, "EUR",
                alertThresholds == null ? SpendLimit.DEFAULT_THRESHOLDS : alertThresholds, hard, NOW));
        if (hard && spend.getOrDefault(tenant, BigDecimal.ZERO).compareTo(amount) >= 0) {
            held.putIfAbsent(tenant, NOW);
        } else {
            held.remove(tenant);
        }
        changes.add(tenant + " set " + amount.toPlainString() + " by " + actor);
        return status(tenant);
    }

    @Override
    public SpendLimitStatus remove(String tenant, String actor) {
        limits.remove(tenant);
        held.remove(tenant);
        changes.add(tenant + " removed by " + actor);
        return status(tenant);
    }
}
