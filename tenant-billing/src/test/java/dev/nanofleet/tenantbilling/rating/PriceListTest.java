package dev.nanofleet.tenantbilling.rating;

import static dev.nanofleet.tenantbilling.rating.Facts.HARDWARE_RATES;
import static dev.nanofleet.tenantbilling.rating.Facts.SHARED_RATES;
import static dev.nanofleet.tenantbilling.rating.Facts.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.events.Isolation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceListTest {

    static PriceVersion version(String id, Instant from) {
        return new PriceVersion(id, from, Map.of(Isolation.SHARED, SHARED_RATES, Isolation.HARDWARE, HARDWARE_RATES));
    }

    private final PriceVersion v1 = version("v1", at(100));
    private final PriceVersion v2 = version("v2", at(200));
    private final PriceList prices = new PriceList("EUR", List.of(v2, v1));

    @Test
    void versions_are_kept_in_time_order() {
        assertThat(prices.versions()).containsExactly(v1, v2);
    }

    @Test
    void the_version_at_an_instant_is_the_last_in_effect_and_the_first_before_any() {
        assertThat(prices.at(at(0))).isEqualTo(v1);
        assertThat(prices.at(at(100))).isEqualTo(v1);
        assertThat(prices.at(at(199))).isEqualTo(v1);
        assertThat(prices.at(at(200))).isEqualTo(v2);
        assertThat(prices.at(at(10_000))).isEqualTo(v2);
    }

    @Test
    void a_span_is_cut_where_a_version_takes_effect_and_priced_at_the_first_before_any() {
        assertThat(prices.segments(new Period(at(0), at(300)))).containsExactly(
                new PriceList.Segment(new Period(at(0), at(200)), v1),
                new PriceList.Segment(new Period(at(200), at(300)), v2));
        assertThat(prices.segments(new Period(at(200), at(201))))
                .containsExactly(new PriceList.Segment(new Period(at(200), at(201)), v2));
        assertThat(prices.segments(new Period(at(150), at(200))))
                .containsExactly(new PriceList.Segment(new Period(at(150), at(200)), v1));
    }

    @Test
    void a_price_list_has_a_version() {
        assertThatThrownBy(() -> new PriceList("EUR", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void version_ids_are_unique() {
        assertThatThrownBy(() -> new PriceList("EUR", List.of(v1, version("v1", at(300)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v1");
    }

    @Test
    void two_versions_do_not_take_effect_at_the_same_instant() {
        assertThatThrownBy(() -> new PriceList("EUR", List.of(v1, version("v1b", at(100)))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_price_list_names_its_currency() {
        assertThatThrownBy(() -> new PriceList(" ", List.of(v1))).isInstanceOf(IllegalArgumentException.class);
    }
}
