package dev.nanofleet.controlapi.tenant;

import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A tenant's spend hold as the API shows it: since when its hard spend limit is reached, the figures, and when the
 * billing period ends. Amounts are decimal strings, exact as billing counts them.
 */
@Schema(name = "SpendHold", description = "the tenant's hard spend limit is reached: its deployments were stopped and nothing that spends more is accepted until billing lifts the hold")
public record SpendHoldView(@Schema(required = true) Instant since,
        @Schema(required = true, type = SchemaType.STRING, pattern = "^[0-9]+(\\.[0-9]+)?$", example = "25.00") String limit,
        @Schema(required = true, type = SchemaType.STRING, pattern = "^[0-9]+(\\.[0-9]+)?$", example = "25.00") String spend,
        @Schema(required = true, example = "USD") String currency, @Schema(required = true) Instant periodEnd) {

    static SpendHoldView of(SpendHold hold) {
        return new SpendHoldView(hold.since(), hold.limit().toPlainString(), hold.spend().toPlainString(),
                hold.currency(), hold.periodEnd());
    }

    /** The tenant's hold, if it is held. */
    public static Optional<SpendHoldView> of(TenantEntity tenant) {
        return tenant.spendHold().map(SpendHoldView::of);
    }
}
