package dev.nanofleet.tenantbilling.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.tenantbilling.rating.FreeGrant;
import dev.nanofleet.tenantbilling.rating.PriceList;
import dev.nanofleet.tenantbilling.rating.PriceVersion;
import dev.nanofleet.tenantbilling.rating.Rates;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricesViewTest {

    static final PriceVersion LAUNCH = version("launch", "2026-01-01T00:00:00Z", "0.0000135", "0.0000019",
            "0.0000112", "0.0000013");
    static final PriceVersion SPRING = version("spring", "2026-04-01T00:00:00Z", "0.0000140", "0.0000020",
            "0.0000110", "0.0000012");
    static final PriceVersion SUMMER = version("summer", "2026-07-01T00:00:00Z", "0.0000150", "0.0000021",
            "0.0000100", "0.0000011");
    static final PriceList PRICES = new PriceList("USD", List.of(SUMMER, LAUNCH, SPRING));

    @Test
    void the_version_in_effect_now_comes_with_the_next_one_and_exact_hourly_prices() {
        PricesView view = PricesView.of(PRICES, FreeGrant.NONE, "calendar-month",
                Instant.parse("2026-03-15T10:00:00Z"));

        assertThat(view.currency()).isEqualTo("USD");
        assertThat(view.billingPeriod()).isEqualTo("calendar-month");
        assertThat(view.asOf()).isEqualTo(Instant.parse("2026-03-15T10:00:00Z"));
        assertThat(view.current().id()).isEqualTo("launch");
        assertThat(view.current().effectiveFrom()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(view.current().rates().hardware()).isEqualTo(new PricesView.ModeRates(new BigDecimal("0.0000135"),
                new BigDecimal("0.0000019"), new BigDecimal("0.0486000"), new BigDecimal("0.0068400")));
        assertThat(view.current().rates().shared().perVcpuSecond()).isEqualTo(new BigDecimal("0.0000112"));
        assertThat(view.current().rates().shared().perGibHour()).isEqualTo(new BigDecimal("0.0046800"));
        assertThat(view.next().id()).isEqualTo("spring");
        assertThat(view.freeGrant()).isNull();
    }

    @Test
    void a_version_is_current_from_the_instant_it_takes_effect_and_the_last_has_no_next() {
        assertThat(PricesView.of(PRICES, FreeGrant.NONE, "PT2M", Instant.parse("2026-04-01T00:00:00Z")).current()
                .id()).isEqualTo("spring");
        PricesView last = PricesView.of(PRICES, FreeGrant.NONE, "PT2M", Instant.parse("2026-08-01T00:00:00Z"));
        assertThat(last.current().id()).isEqualTo("summer");
        assertThat(last.next()).isNull();
    }

    @Test
    void before_any_version_takes_effect_the_first_prices_everything_and_the_second_is_next() {
        PricesView early = PricesView.of(PRICES, FreeGrant.NONE, "calendar-month",
                Instant.parse("2025-12-01T00:00:00Z"));
        assertThat(early.current().id()).isEqualTo("launch");
        assertThat(early.next().id()).isEqualTo("spring");
    }

    @Test
    void a_free_grant_is_shown_only_when_there_is_one() {
        FreeGrant grant = new FreeGrant(new BigDecimal("180000"), BigDecimal.ZERO);
        assertThat(PricesView.of(PRICES, grant, "calendar-month", Instant.parse("2026-03-15T10:00:00Z"))
                .freeGrant()).isEqualTo(new PricesView.Grant(new BigDecimal("180000"), BigDecimal.ZERO));
    }

    private static PriceVersion version(String id, String from, String hardwareVcpu, String hardwareGib,
            String sharedVcpu, String sharedGib) {
        return new PriceVersion(id, Instant.parse(from), Map.of(
                Isolation.HARDWARE, new Rates(new BigDecimal(hardwareVcpu), new BigDecimal(hardwareGib)),
                Isolation.SHARED, new Rates(new BigDecimal(sharedVcpu), new BigDecimal(sharedGib))));
    }
}
