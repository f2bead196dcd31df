package dev.nanofleet.tenantbilling.fakes;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.tenantbilling.invoice.FinalInvoice;
import dev.nanofleet.tenantbilling.rating.Invoice;
import dev.nanofleet.tenantbilling.rating.LineItem;
import dev.nanofleet.tenantbilling.rating.Period;
import dev.nanofleet.tenantbilling.rating.Resource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Invoices as the service would store them, for tests of the HTTP layer and the renderers. */
public final class Fixtures {

    public static final UUID WEB = UUID.fromString("11111111-1111-4111-8111-111111111111");
    public static final UUID WORKER = UUID.fromString("22222222-2222-4222-8222-222222222222");
    public static final Period JANUARY = new Period(Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-02-01T00:00:00Z"));
    public static final Period FEBRUARY = new Period(Instant.parse("2026-02-01T00:00:00Z"),
            Instant.parse("2026-03-01T00:00:00Z"));

    private Fixtures() {
    }

    /**
     * Two deployments (one with a comma and a quote in its name, for the CSV), an adjustment and a free grant; its
     * amounts carry more decimals than cents, so the amount due is a rounding.
     */
    public static FinalInvoice invoice(UUID id, String tenant, long number, Period period) {
        List<LineItem> lines = List.of(
                line(LineItem.Kind.USAGE, WEB, Isolation.HARDWARE, Resource.VCPU, period, "1800000", "0.0000125"),
                line(LineItem.Kind.USAGE, WEB, Isolation.HARDWARE, Resource.MEMORY, period, "900000.5",
                        "0.0000014"),
                line(LineItem.Kind.USAGE, WORKER, Isolation.SHARED, Resource.VCPU, period, "3600", "0.0000080"),
                line(LineItem.Kind.ADJUSTMENT, WEB, Isolation.HARDWARE, Resource.VCPU,
                        new Period(period.start().minusSeconds(31L * 86400), period.start()), "120", "0.0000125"),
                line(LineItem.Kind.FREE_GRANT, WEB, Isolation.HARDWARE, Resource.VCPU, period, "-360000",
                        "0.0000125"));
        BigDecimal total = lines.stream().map(LineItem::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        Invoice invoice = new Invoice(tenant, period, "EUR", lines, total, total.setScale(2, RoundingMode.HALF_EVEN));
        return new FinalInvoice(id, tenant, number, invoice, period.end().plusSeconds(3600),
                Map.of(WEB, "web", WORKER, "batch, \"nightly\""));
    }

    private static LineItem line(LineItem.Kind kind, UUID deployment, Isolation isolation, Resource resource,
            Period span, String quantity, String unitPrice) {
        BigDecimal q = new BigDecimal(quantity);
        BigDecimal p = new BigDecimal(unitPrice);
        return new LineItem(kind, deployment, isolation, resource, "2026-01", span.start(), span.end(), q, p,
                q.multiply(p));
    }
}
