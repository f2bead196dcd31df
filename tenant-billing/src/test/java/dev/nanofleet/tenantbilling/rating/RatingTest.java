package dev.nanofleet.tenantbilling.rating;

import static dev.nanofleet.tenantbilling.rating.Facts.HALF_CORE_256;
import static dev.nanofleet.tenantbilling.rating.Facts.PRICES;
import static dev.nanofleet.tenantbilling.rating.Facts.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RatingTest {

    private final UUID deployment = UUID.randomUUID();
    private final Period hour = new Period(at(0), at(3600));

    private BilledInterval interval(Isolation isolation, Resources resources, Instant start, Instant end) {
        return new BilledInterval("acme", deployment, UUID.randomUUID(), "n1", isolation, resources, start, end);
    }

    @Test
    void a_second_is_billed_when_the_instance_ran_at_its_start() {
        assertThat(Rating.billedSeconds(at(10).plusMillis(500), at(11).plusMillis(200))).isEqualTo(1);
        assertThat(Rating.billedSeconds(at(10), at(10).plusMillis(900))).isEqualTo(1);
        assertThat(Rating.billedSeconds(at(10).plusMillis(100), at(10).plusMillis(900))).isZero();
        assertThat(Rating.billedSeconds(at(10), at(20))).isEqualTo(10);
        assertThat(Rating.billedSeconds(at(20), at(10))).isZero();
    }

    @Test
    void quantities_are_exact_vcpu_and_gib_seconds() {
        assertThat(Rating.quantity(Resource.VCPU, new Resources(250, 100), 3)).isEqualByComparingTo("0.75");
        assertThat(Rating.quantity(Resource.MEMORY, new Resources(250, 100), 3))
                .isEqualByComparingTo("0.29296875");
    }

    @Test
    void an_hour_of_half_a_core_and_256_mib_bills_1800_vcpu_seconds_and_900_gib_seconds() {
        List<LineItem> lines = Rating.usage(List.of(interval(Isolation.SHARED, HALF_CORE_256, at(0), null)), hour,
                PRICES);

        assertThat(lines).extracting(LineItem::resource, LineItem::quantity, LineItem::amount).containsExactly(
                tuple(Resource.VCPU, new BigDecimal("1800.000"),
                        new BigDecimal("1800.000").multiply(new BigDecimal("0.00001"))),
                tuple(Resource.MEMORY, new BigDecimal("900.0000000000"),
                        new BigDecimal("900.0000000000").multiply(new BigDecimal("0.000002"))));
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.kind()).isEqualTo(LineItem.Kind.USAGE);
            assertThat(line.from()).isEqualTo(hour.start());
            assertThat(line.to()).isEqualTo(hour.end());
            assertThat(line.priceVersion()).isEqualTo("v1");
        });
    }

    @Test
    void intervals_are_clipped_to_the_window_and_summed_per_deployment_and_isolation() {
        List<BilledInterval> intervals = List.of(
                interval(Isolation.SHARED, HALF_CORE_256, at(-100), at(100)),
                interval(Isolation.SHARED, HALF_CORE_256, at(3500), at(4000)),
                interval(Isolation.HARDWARE, HALF_CORE_256, at(0), at(10)),
                interval(Isolation.SHARED, HALF_CORE_256, at(4000), null));

        List<LineItem> lines = Rating.usage(intervals, hour, PRICES);

        assertThat(lines).extracting(LineItem::isolation, LineItem::resource, LineItem::quantity).containsExactly(
                tuple(Isolation.HARDWARE, Resource.VCPU, new BigDecimal("5.000")),
                tuple(Isolation.HARDWARE, Resource.MEMORY,
                        new BigDecimal("2.5000000000")),
                tuple(Isolation.SHARED, Resource.VCPU, new BigDecimal("100.000")),
                tuple(Isolation.SHARED, Resource.MEMORY,
                        new BigDecimal("50.0000000000")));
    }

    @Test
    void a_price_change_mid_period_splits_the_lines_at_the_change() {
        PriceVersion v1 = PriceListTest.version("v1", at(-10_000));
        PriceVersion v2 = new PriceVersion("v2", at(1800),
                Map.of(Isolation.SHARED, new Rates(new BigDecimal("0.00002"), new BigDecimal("0.000004")),
                        Isolation.HARDWARE, Facts.HARDWARE_RATES));
        PriceList prices = new PriceList("EUR", List.of(v1, v2));

        List<LineItem> lines = Rating.usage(List.of(interval(Isolation.SHARED, new Resources(1000, 1024), at(0),
                null)), hour, prices);

        assertThat(lines).extracting(LineItem::priceVersion, LineItem::resource, LineItem::from, LineItem::to,
                LineItem::quantity, LineItem::amount).containsExactly(
                        tuple("v1", Resource.VCPU, at(0), at(1800),
                                new BigDecimal("1800.000"), new BigDecimal("0.01800000")),
                        tuple("v2", Resource.VCPU, at(1800), at(3600),
                                new BigDecimal("1800.000"), new BigDecimal("0.03600000")),
                        tuple("v1", Resource.MEMORY, at(0), at(1800),
                                new BigDecimal("1800.0000000000"), new BigDecimal("0.0036000000000000")),
                        tuple("v2", Resource.MEMORY, at(1800), at(3600),
                                new BigDecimal("1800.0000000000"), new BigDecimal("0.0072000000000000")));
    }

    @Test
    void nothing_billed_nothing_listed() {
        assertThat(Rating.usage(List.of(interval(Isolation.SHARED, HALF_CORE_256, at(5000), at(6000))), hour,
                PRICES)).isEmpty();
        assertThat(Rating.usage(List.of(interval(Isolation.SHARED, HALF_CORE_256, at(10).plusMillis(1),
                at(10).plusMillis(999))), hour, PRICES)).isEmpty();
    }
}
