package dev.nanofleet.controlapi.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.QuotaExceeded;
import dev.nanofleet.events.Isolation;
import org.junit.jupiter.api.Test;

class QuotaTest {

    private final Quota quota = new Quota(1000, 512, 3);

    @Test
    void an_ask_that_fits_exactly_is_admitted() {
        assertThat(quota.check(Isolation.HARDWARE, Quota.Use.of(2, 250, 128), Quota.Use.of(1, 500, 256))).isEmpty();
    }

    @Test
    void the_first_resource_past_its_limit_is_named_with_limit_use_and_ask() {
        assertThat(quota.check(Isolation.HARDWARE, Quota.Use.of(2, 100, 200), Quota.Use.of(1, 100, 200)))
                .contains(new QuotaExceeded("hardware.memoryMiB", 512, 400, 200));
        assertThat(quota.check(Isolation.SHARED, Quota.Use.of(3, 10, 10), Quota.Use.of(1, 10, 10)))
                .contains(new QuotaExceeded("shared.instances", 3, 3, 1));
        assertThat(quota.check(Isolation.SHARED, Quota.Use.NONE, Quota.Use.of(2, 600, 10)))
                .contains(new QuotaExceeded("shared.cpuMillis", 1000, 0, 1200));
    }

    @Test
    void asking_for_nothing_more_is_never_refused_even_over_a_lowered_quota() {
        assertThat(quota.check(Isolation.HARDWARE, Quota.Use.of(10, 1000, 1000), Quota.Use.NONE)).isEmpty();
    }

    @Test
    void a_zero_quota_refuses_any_ask() {
        assertThat(new Quota(0, 0, 0).check(Isolation.SHARED, Quota.Use.NONE, Quota.Use.of(1, 50, 32)))
                .map(QuotaExceeded::name).contains("shared.cpuMillis");
    }

    @Test
    void the_detail_reads_as_a_sentence_with_every_figure() {
        assertThat(new QuotaExceeded("hardware.instances", 3, 2, 2).detail())
                .isEqualTo("quota hardware.instances is 3: 2 in use and 2 more asked would make 4");
    }
}
