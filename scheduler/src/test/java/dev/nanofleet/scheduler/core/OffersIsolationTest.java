package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.hardware;
import static dev.nanofleet.scheduler.core.Fixtures.node;
import static dev.nanofleet.scheduler.core.Fixtures.offering;
import static dev.nanofleet.scheduler.core.Fixtures.shared;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import org.junit.jupiter.api.Test;

class OffersIsolationTest {

    private final OffersIsolation filter = new OffersIsolation();

    @Test
    void a_node_without_hardware_isolation_rejects_a_vm() {
        NodeView sharedOnly = offering(node("n", 1000, 1024), Isolation.SHARED);
        assertThat(filter.reject(hardware("i", "a", 1, 1), sharedOnly))
                .contains(OffersIsolation.NO_HARDWARE_ISOLATION);
        assertThat(filter.reject(shared("i", "a", 1, 1), sharedOnly)).isEmpty();
    }

    @Test
    void a_node_without_a_shared_kernel_rejects_a_container() {
        NodeView vmOnly = offering(node("n", 1000, 1024), Isolation.HARDWARE);
        assertThat(filter.reject(shared("i", "a", 1, 1), vmOnly)).contains(OffersIsolation.NO_SHARED_KERNEL);
        assertThat(filter.reject(hardware("i", "a", 1, 1), vmOnly)).isEmpty();
    }
}
