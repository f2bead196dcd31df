package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.cordoned;
import static dev.nanofleet.scheduler.core.Fixtures.node;
import static dev.nanofleet.scheduler.core.Fixtures.shared;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchedulableTest {

    private final Schedulable filter = new Schedulable();

    @Test
    void a_cordoned_node_takes_nothing() {
        assertThat(filter.reject(shared("i", "a", 1, 1), cordoned(node("n", 1000, 1024))))
                .contains(Schedulable.CORDONED);
    }

    @Test
    void a_schedulable_node_passes() {
        assertThat(filter.reject(shared("i", "a", 1, 1), node("n", 1000, 1024))).isEmpty();
    }
}
