package dev.nanofleet.tenantbilling.fakes;

import dev.nanofleet.tenantbilling.operator.Revenue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Revenue over a fixed set of tenants' amounts; remembers the range it was last asked for. */
@Alternative
@ApplicationScoped
public class FakeRevenue implements Revenue {

    public record Asked(Instant from, Instant to, Integer limit) {
    }

    private static final List<ByTenant> TENANTS = List.of(new ByTenant("acme", new BigDecimal("23.300000000")),
            new ByTenant("globex", new BigDecimal("41.0000001")), new ByTenant("initech", new BigDecimal("0.5")));

    private final AtomicReference<Asked> asked = new AtomicReference<>();

    public Asked lastAsked() {
        return asked.get();
    }

    @Override
    public Summary summary(Instant from, Instant to) {
        asked.set(new Asked(from, to, null));
        BigDecimal total = TENANTS.stream().map(ByTenant::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Summary(from, to, "EUR", total,
                List.of(new ByIsolation("HARDWARE", new BigDecimal("60.0000001")),
                        new ByIsolation("SHARED", new BigDecimal("4.800000000"))),
                TENANTS, List.of(new ByDay(LocalDate.parse("2026-01-31"), total)), new BigDecimal("1E-10"), to);
    }

    @Override
    public List<ByTenant> topTenants(Instant from, Instant to, int limit) {
        asked.set(new Asked(from, to, limit));
        return TENANTS.stream().sorted(Comparator.comparing(ByTenant::amount).reversed()).limit(limit).toList();
    }
}
