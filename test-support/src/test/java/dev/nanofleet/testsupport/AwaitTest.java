package dev.nanofleet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returns_once_the_condition_holds() {
        AtomicInteger calls = new AtomicInteger();
        Await.until(Duration.ofSeconds(5), "three calls", () -> calls.incrementAndGet() >= 3);
        assertThat(calls).hasValue(3);
    }

    @Test
    void value_returns_the_first_non_null_and_treats_exceptions_as_not_yet() {
        AtomicInteger calls = new AtomicInteger();
        String v = Await.value(Duration.ofSeconds(5), "a value", () -> {
            if (calls.incrementAndGet() < 2) {
                throw new IllegalStateException("not yet");
            }
            return "done";
        });
        assertThat(v).isEqualTo("done");
    }

    @Test
    void fails_with_the_description_and_the_last_failure() {
        assertThatThrownBy(() -> Await.untilAsserted(Duration.ofMillis(300), "the moon to turn blue", () -> {
            throw new IllegalStateException("still grey");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("the moon to turn blue")
                .hasMessageContaining("still grey");
    }
}
