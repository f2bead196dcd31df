package dev.nanofleet.controlapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void a_full_bucket_admits_its_burst_then_says_when_the_next_token_comes() {
        TokenBucket bucket = new TokenBucket(3, 1, 0);
        assertThat(bucket.take(0)).isEmpty();
        assertThat(bucket.take(0)).isEmpty();
        assertThat(bucket.take(0)).isEmpty();
        assertThat(bucket.take(0)).contains(Duration.ofSeconds(1));
        assertThat(bucket.take(SECOND / 2)).contains(Duration.ofSeconds(1));
        assertThat(bucket.take(SECOND)).isEmpty();
        assertThat(bucket.take(SECOND)).isPresent();
    }

    @Test
    void the_wait_is_rounded_up_to_whole_seconds_for_slow_rates() {
        TokenBucket bucket = new TokenBucket(1, 0.25, 0);
        assertThat(bucket.take(0)).isEmpty();
        assertThat(bucket.take(0)).contains(Duration.ofSeconds(4));
        assertThat(bucket.take(3 * SECOND + 1)).contains(Duration.ofSeconds(1));
    }

    @Test
    void a_long_pause_refills_no_more_than_the_capacity() {
        TokenBucket bucket = new TokenBucket(2, 10, 0);
        bucket.take(0);
        bucket.take(0);
        assertThat(bucket.full(3600 * SECOND)).isTrue();
        assertThat(bucket.take(3600 * SECOND)).isEmpty();
        assertThat(bucket.take(3600 * SECOND)).isEmpty();
        assertThat(bucket.take(3600 * SECOND)).isPresent();
    }

    @Test
    void a_clock_that_goes_back_refills_nothing() {
        TokenBucket bucket = new TokenBucket(1, 1, 10 * SECOND);
        bucket.take(10 * SECOND);
        assertThat(bucket.take(5 * SECOND)).isPresent();
    }
}
