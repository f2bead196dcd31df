package dev.nanofleet.tenantbilling.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.tenantbilling.meter.MeterStore.Sample;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InstanceSeriesTest {

    static final UUID DEPLOYMENT = UUID.fromString("11111111-1111-4111-8111-111111111111");
    static final UUID INSTANCE = UUID.fromString("33333333-3333-4333-8333-333333333333");
    static final Instant T0 = Instant.parse("2026-02-10T12:00:00Z");

    @Test
    void the_rate_is_cpu_time_over_wall_time_since_the_previous_sample_exact_to_six_decimals() {
        // 3.75 s of CPU in 15 s: a quarter of a core; then 1 ns in 3 s rounds to nothing
        List<InstanceSeries.Point> points = InstanceSeries.points(null, List.of(sample(0, 1_000_000_000L),
                sample(15_000, 4_750_000_000L), sample(18_000, 4_750_000_001L)));

        assertThat(points).extracting(InstanceSeries.Point::cpuCores).extracting(String::valueOf)
                .containsExactly("null", "0.250000", "0.000000");
        assertThat(points.get(1).sampledAt()).isEqualTo(T0.plusSeconds(15));
        assertThat(points.get(1).cpuNanos()).isEqualTo(4_750_000_000L);
        assertThat(points.get(1).memoryBytes()).isEqualTo(256L << 20);
    }

    @Test
    void the_first_sample_of_a_window_takes_its_rate_from_the_sample_before_the_window() {
        List<InstanceSeries.Point> points = InstanceSeries.points(sample(0, 0),
                List.of(sample(10_000, 20_000_000_000L)));

        assertThat(points).extracting(InstanceSeries.Point::cpuCores).extracting(String::valueOf)
                .containsExactly("2.000000");
    }

    @Test
    void a_counter_that_went_backwards_or_no_time_passing_gives_no_rate() {
        List<InstanceSeries.Point> points = InstanceSeries.points(null, List.of(sample(0, 9_000_000_000L),
                sample(15_000, 1_000_000_000L), sample(15_000, 2_000_000_000L), sample(30_000, 5_000_000_000L)));

        // restarted between the first two; the third has the second's time; the fourth counts again
        assertThat(points).extracting(InstanceSeries.Point::cpuCores).extracting(String::valueOf)
                .containsExactly("null", "null", "null", "0.200000");
    }

    @Test
    void sub_millisecond_times_count_in_nanoseconds() {
        // PostgreSQL keeps microseconds: 1.5 ms of CPU in 1.5 ms is one core, not a rate over a rounded time
        Sample first = new Sample(DEPLOYMENT, INSTANCE, Isolation.SHARED, T0, 0, 1);
        Sample second = new Sample(DEPLOYMENT, INSTANCE, Isolation.SHARED, T0.plusNanos(1_500_000), 1_500_000, 1);

        assertThat(InstanceSeries.cpuCores(first, second)).isEqualByComparingTo("1");
    }

    @Test
    void no_samples_give_no_points() {
        assertThat(InstanceSeries.points(sample(0, 0), List.of())).isEmpty();
    }

    private static Sample sample(long afterMillis, long cpuNanos) {
        return new Sample(DEPLOYMENT, INSTANCE, Isolation.HARDWARE, T0.plusMillis(afterMillis), cpuNanos, 256L << 20);
    }
}
