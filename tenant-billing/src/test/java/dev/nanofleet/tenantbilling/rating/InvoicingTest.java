package dev.nanofleet.tenantbilling.rating;

import static dev.nanofleet.events.InstanceState.RUNNING;
import static dev.nanofleet.events.InstanceState.STOPPED;
import static dev.nanofleet.tenantbilling.rating.Facts.PRICES;
import static dev.nanofleet.tenantbilling.rating.Facts.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InvoicingTest {

    /** Hours, so that {@link Facts#T0} starts one; five minutes of grace. */
    private final BillingPeriods hours = new FixedPeriods(Duration.ofHours(1));
    private final Invoicing invoicing = new Invoicing(hours, Duration.ofMinutes(5), PRICES, FreeGrant.NONE);
    private final Period first = hours.containing(at(0));
    private final Period second = hours.next(first);
    private final UUID instance = UUID.randomUUID();
    private final Facts facts = new Facts("acme");

    private static BigDecimal sum(List<LineItem> lines, LineItem.Kind kind) {
        return lines.stream()
                .filter(line -> line.kind() == kind)
                .map(LineItem::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void the_cutoff_is_the_period_end_plus_the_grace() {
        assertThat(invoicing.cutoff(first)).isEqualTo(at(3600 + 300));
    }

    @Test
    void the_total_is_the_exact_sum_of_the_lines_and_the_amount_due_is_rounded_half_even_to_cents() {
        facts.state(instance, 0, "n1", RUNNING, Isolation.SHARED, new Resources(1000, 1024));

        Invoice invoice = invoicing.compose("acme", first, facts.events);

        // 3600 vCPU-s at 0.00001 + 3600 GiB-s at 0.000002
        assertThat(invoice.total()).isEqualByComparingTo("0.0432");
        assertThat(invoice.amountDue()).isEqualTo(new BigDecimal("0.04"));
        assertThat(invoice.currency()).isEqualTo("EUR");
        assertThat(invoice.lines()).extracting(LineItem::kind).containsOnly(LineItem.Kind.USAGE);
    }

    @Test
    void a_fact_published_within_the_grace_lands_on_the_periods_invoice() {
        facts.state(instance, 0, "n1", RUNNING).state(instance, 1800, "n1", STOPPED).publishedLate(1800 + 299);

        Invoice invoice = invoicing.compose("acme", first, facts.events);

        assertThat(invoice.lines()).extracting(LineItem::quantity)
                .containsExactly(new BigDecimal("900.000"), new BigDecimal("450.0000000000"));
    }

    @Test
    void a_fact_published_after_the_grace_lands_on_the_next_invoice_as_an_adjustment() {
        facts.state(instance, 0, "n1", RUNNING).state(instance, 1800, "n1", STOPPED).publishedLate(1800 + 301);

        Invoice missed = invoicing.compose("acme", first, facts.events);
        Invoice next = invoicing.compose("acme", second, facts.events);

        assertThat(missed.lines()).extracting(LineItem::quantity)
                .containsExactly(new BigDecimal("1800.000"), new BigDecimal("900.0000000000"));
        assertThat(next.lines()).extracting(LineItem::kind, LineItem::from, LineItem::to, LineItem::quantity)
                .containsExactly(
                        tuple(LineItem.Kind.ADJUSTMENT, first.start(), first.end(), new BigDecimal("-900.000")),
                        tuple(LineItem.Kind.ADJUSTMENT, first.start(), first.end(),
                                new BigDecimal("-450.0000000000")));
        // what the first invoice billed too much is given back exactly
        BigDecimal truth = Rating.usage(Metering.intervals(facts.events), first, PRICES).stream()
                .map(LineItem::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(missed.total().add(sum(next.lines(), LineItem.Kind.ADJUSTMENT))).isEqualByComparingTo(truth);
    }

    @Test
    void a_node_loss_learnt_late_gives_back_what_ran_after_the_last_heartbeat() {
        facts.state(instance, 0, "n1", RUNNING).nodeLost("n1", 3000, 3600 + 600);

        Invoice next = invoicing.compose("acme", second, facts.events);

        assertThat(next.lines()).extracting(LineItem::kind, LineItem::quantity).containsExactly(
                tuple(LineItem.Kind.ADJUSTMENT, new BigDecimal("-300.000")),
                tuple(LineItem.Kind.ADJUSTMENT, new BigDecimal("-150.0000000000")));
    }

    @Test
    void another_tenants_instances_are_not_on_the_invoice() {
        facts.state(instance, 0, "n1", RUNNING);
        Facts other = new Facts("globex").state(UUID.randomUUID(), 0, "n1", RUNNING);
        List<MeterEvent> all = new ArrayList<>(facts.events);
        all.addAll(other.events);

        assertThat(invoicing.compose("acme", first, all)).isEqualTo(invoicing.compose("acme", first, facts.events));
        assertThat(invoicing.compose("initech", first, all).isEmpty()).isTrue();
    }

    @Test
    void the_free_grant_covers_the_most_expensive_usage_first_and_mirrors_the_lines_it_covers() {
        Invoicing granted = new Invoicing(hours, Duration.ofMinutes(5), PRICES,
                new FreeGrant(new BigDecimal("2000"), new BigDecimal("100")));
        UUID cheap = UUID.randomUUID();
        facts.state(instance, 0, "n1", RUNNING, Isolation.HARDWARE, new Resources(1000, 1024))
                .state(cheap, 0, "n1", RUNNING, Isolation.SHARED, new Resources(1000, 1024));

        Invoice invoice = granted.compose("acme", first, facts.events);

        List<LineItem> credits = invoice.lines().stream()
                .filter(line -> line.kind() == LineItem.Kind.FREE_GRANT)
                .toList();
        // hardware costs more: its 3600 vCPU-s are covered first, then 2000 - 3600 < 0 leaves nothing for shared
        assertThat(credits).extracting(LineItem::isolation, LineItem::resource, LineItem::quantity, LineItem::amount)
                .containsExactly(
                        tuple(Isolation.HARDWARE, Resource.VCPU, new BigDecimal("-2000"),
                                new BigDecimal("-2000").multiply(Facts.HARDWARE_RATES.perVcpuSecond())),
                        tuple(Isolation.HARDWARE, Resource.MEMORY, new BigDecimal("-100"),
                                new BigDecimal("-100").multiply(Facts.HARDWARE_RATES.perGibSecond())));
        assertThat(invoice.total()).isEqualByComparingTo(new BigDecimal("3600")
                .multiply(new BigDecimal("0.000015").add(new BigDecimal("0.00001")))
                .add(new BigDecimal("3600").multiply(new BigDecimal("0.000003").add(new BigDecimal("0.000002"))))
                .subtract(new BigDecimal("2000").multiply(new BigDecimal("0.000015")))
                .subtract(new BigDecimal("100").multiply(new BigDecimal("0.000003"))));
    }

    @Test
    void a_free_grant_larger_than_the_usage_makes_it_free_and_never_a_credit() {
        Invoicing granted = new Invoicing(hours, Duration.ofMinutes(5), PRICES,
                new FreeGrant(new BigDecimal("1000000"), new BigDecimal("1000000")));
        facts.state(instance, 0, "n1", RUNNING);

        assertThat(granted.compose("acme", first, facts.events).total()).isEqualByComparingTo("0");
    }

    @Test
    void the_spend_counts_usage_so_far_the_running_cost_per_second_and_a_forecast() {
        facts.state(instance, 0, "n1", RUNNING, Isolation.SHARED, new Resources(1000, 1024));

        Spend spend = invoicing.spend("acme", facts.events, at(600));

        BigDecimal perSecond = new BigDecimal("0.000012");
        assertThat(spend.period()).isEqualTo(first);
        assertThat(spend.perSecond()).isEqualByComparingTo(perSecond);
        assertThat(spend.usage()).isEqualByComparingTo(perSecond.multiply(BigDecimal.valueOf(600)));
        assertThat(spend.forecast()).isEqualByComparingTo(perSecond.multiply(BigDecimal.valueOf(3600)));
    }

    @Test
    void the_spend_after_the_free_grant_is_never_negative_and_ignores_facts_not_yet_published() {
        Invoicing granted = new Invoicing(hours, Duration.ofMinutes(5), PRICES,
                new FreeGrant(new BigDecimal("1000000"), new BigDecimal("1000000")));
        facts.state(instance, 0, "n1", RUNNING).state(instance, 100, "n1", STOPPED).publishedLate(10_000);

        Spend spend = granted.spend("acme", facts.events, at(600));

        assertThat(spend.usage()).isEqualByComparingTo("0");
        assertThat(spend.perSecond()).isPositive();
        assertThat(invoicing.spend("acme", facts.events, first.start()).usage()).isEqualByComparingTo("0");
    }

    @Test
    void the_grace_is_not_negative() {
        assertThatThrownBy(() -> new Invoicing(hours, Duration.ofSeconds(-1), PRICES, FreeGrant.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void free_grants_and_rates_are_not_negative() {
        assertThatThrownBy(() -> new FreeGrant(BigDecimal.ONE.negate(), BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rates(BigDecimal.ONE.negate(), BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PriceVersion("v9", at(0), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
