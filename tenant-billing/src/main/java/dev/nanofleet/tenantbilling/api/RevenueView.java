package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.operator.Revenue;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Final invoices' revenue in [from, to) by isolation mode, tenant and day, with usage not yet invoiced. */
@Schema(name = "Revenue")
public record RevenueView(@Schema(required = true) Instant from, @Schema(required = true) Instant to,
        @Schema(required = true) String currency, @Schema(required = true) BigDecimal total,
        @Schema(required = true) List<ByIsolation> byIsolation, @Schema(required = true) List<TenantAmount> byTenant,
        @Schema(required = true) List<ByDay> byDay,
        @Schema(required = true, description = "exact cost of usage in periods not yet invoiced, as of asOf") BigDecimal unbilled,
        @Schema(required = true) Instant asOf) {

    @Schema(name = "RevenueByIsolation")
    public record ByIsolation(@Schema(required = true, enumeration = {
            "hardware", "shared"}) String isolation,
            @Schema(required = true) BigDecimal amount){
    }

    @Schema(name = "RevenueByTenant")
    public record TenantAmount(@Schema(required = true) String tenant, @Schema(required = true) BigDecimal amount) {

        static List<TenantAmount> of(List<Revenue.ByTenant> rows) {
            return rows.stream().map(r -> new TenantAmount(r.tenant(), r.amount())).toList();
        }
    }

    @Schema(name = "RevenueByDay")
    public record ByDay(@Schema(required = true) LocalDate day, @Schema(required = true) BigDecimal amount) {
    }

    /** The tenants with the most revenue in [from, to), largest first. */
    @Schema(name = "TopTenants")
    public record TopTenants(@Schema(required = true) Instant from, @Schema(required = true) Instant to,
            @Schema(required = true) int limit, @Schema(required = true) List<TenantAmount> tenants) {
    }

    public static RevenueView of(Revenue.Summary s) {
        return new RevenueView(s.from(), s.to(), s.currency(), s.total(),
                s.byIsolation().stream().map(r -> new ByIsolation(ApiNames.of(r.isolation()), r.amount())).toList(),
                TenantAmount.of(s.byTenant()),
                s.byDay().stream().map(r -> new ByDay(r.day(), r.amount())).toList(), s.unbilled(), s.asOf());
    }
}
