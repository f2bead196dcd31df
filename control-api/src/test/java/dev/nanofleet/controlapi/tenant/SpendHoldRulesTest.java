package dev.nanofleet.controlapi.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.tenant.TenantEntity.SpendLimitChange;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How billing's limit events hold and release a tenant, in the order of their times rather than of their arrival. */
class SpendHoldRulesTest {

    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-01T11:00:00Z");
    private static final Instant T3 = Instant.parse("2026-12-01T12:00:00Z");
    private static final Instant PERIOD_END = Instant.parse("2027-01-01T00:00:00Z");

    private final TenantEntity tenant = new TenantEntity();

    @Test
    void a_tenant_is_not_held_until_its_limit_is_reached() {
        assertThat(tenant.spendHold()).isEmpty();
    }

    @Test
    void a_reached_limit_holds_the_tenant_since_billing_decided_with_its_figures() {
        assertThat(reach(T1, "25.00", "25.13")).isEqualTo(SpendLimitChange.HELD);

        SpendHold hold = tenant.spendHold().orElseThrow();
        assertThat(hold.since()).isEqualTo(T1);
        assertThat(hold.limit()).isEqualByComparingTo("25.00");
        assertThat(hold.spend()).isEqualTo(new BigDecimal("25.13"));
        assertThat(hold.currency()).isEqualTo("USD");
        assertThat(hold.periodEnd()).isEqualTo(PERIOD_END);
        assertThat(hold.reason()).isEqualTo("spend limit reached: 25.13 USD of 25.00 USD");
    }

    @Test
    void a_newer_reached_event_keeps_the_hold_since_and_takes_its_figures() {
        reach(T1, "25.00", "25.00");

        assertThat(reach(T2, "25.00", "26.50")).isEqualTo(SpendLimitChange.STILL_HELD);

        assertThat(tenant.spendHold().orElseThrow().since()).isEqualTo(T1);
        assertThat(tenant.spendHold().orElseThrow().spend()).isEqualByComparingTo("26.50");
    }

    @Test
    void a_lift_clears_the_hold() {
        reach(T1, "25.00", "25.00");

        assertThat(tenant.liftSpendLimit(T2)).isEqualTo(SpendLimitChange.LIFTED);

        assertThat(tenant.spendHold()).isEmpty();
    }

    @Test
    void a_lift_for_a_tenant_not_held_changes_nothing_it_shows() {
        assertThat(tenant.liftSpendLimit(T1)).isEqualTo(SpendLimitChange.NOT_HELD);
        assertThat(tenant.spendHold()).isEmpty();
    }

    @Test
    void a_lift_older_than_the_hold_does_not_clear_it() {
        reach(T2, "25.00", "25.00");

        assertThat(tenant.liftSpendLimit(T1)).isEqualTo(SpendLimitChange.STALE);

        assertThat(tenant.spendHold()).isPresent();
    }

    @Test
    void a_lift_between_two_reached_events_arriving_after_the_second_does_not_clear_the_renewed_hold() {
        // billing: reached at T1, lifted at T2, reached again at T3; the lift arrives last
        reach(T1, "25.00", "25.00");
        reach(T3, "50.00", "50.00");

        assertThat(tenant.liftSpendLimit(T2)).isEqualTo(SpendLimitChange.STALE);

        assertThat(tenant.spendHold().orElseThrow().limit()).isEqualByComparingTo("50.00");
    }

    @Test
    void a_reached_event_older_than_the_last_lift_does_not_hold_the_tenant_again() {
        reach(T1, "25.00", "25.00");
        tenant.liftSpendLimit(T2);

        assertThat(reach(T1.minusSeconds(1), "25.00", "25.00")).isEqualTo(SpendLimitChange.STALE);
        assertThat(tenant.spendHold()).isEmpty();
    }

    @Test
    void a_reached_event_older_than_a_lift_of_a_tenant_not_held_does_not_hold_it() {
        tenant.liftSpendLimit(T2);

        assertThat(reach(T1, "25.00", "25.00")).isEqualTo(SpendLimitChange.STALE);
        assertThat(tenant.spendHold()).isEmpty();
    }

    @Test
    void an_event_of_the_same_time_as_the_newest_applies() {
        reach(T1, "25.00", "25.00");

        assertThat(tenant.liftSpendLimit(T1)).isEqualTo(SpendLimitChange.LIFTED);
        assertThat(reach(T1, "25.00", "25.00")).isEqualTo(SpendLimitChange.HELD);
    }

    @Test
    void a_reached_event_after_a_lift_holds_the_tenant_anew() {
        reach(T1, "25.00", "25.00");
        tenant.liftSpendLimit(T2);

        assertThat(reach(T3, "50.00", "50.00")).isEqualTo(SpendLimitChange.HELD);
        assertThat(tenant.spendHold().orElseThrow().since()).isEqualTo(T3);
    }

    private SpendLimitChange reach(Instant at, String limit, String spend) {
        return tenant.reachSpendLimit(at, new BigDecimal(limit), new BigDecimal(spend), "USD", PERIOD_END);
    }

    @Test
    void amounts_are_kept_with_at_least_their_currencys_minor_digits_and_never_rounded() {
        assertThat(TenantEntity.inMinorUnits(new BigDecimal("25"), "USD")).hasToString("25.00");
        assertThat(TenantEntity.inMinorUnits(new BigDecimal("50.0"), "EUR")).hasToString("50.00");
        assertThat(TenantEntity.inMinorUnits(new BigDecimal("25.125"), "USD")).hasToString("25.125");
        assertThat(TenantEntity.inMinorUnits(new BigDecimal("100"), "JPY")).hasToString("100");
        assertThat(TenantEntity.inMinorUnits(new BigDecimal("7"), "not-a-currency")).hasToString("7");
    }
}
