package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.hardware;
import static dev.nanofleet.scheduler.core.Fixtures.node;
import static dev.nanofleet.scheduler.core.Fixtures.shared;
import static dev.nanofleet.scheduler.core.Fixtures.used;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Resources;
import org.junit.jupiter.api.Test;

class FitsResourcesTest {

    private final FitsResources filter = new FitsResources(SchedulerPolicy.defaults());

    @Test
    void a_request_that_exactly_fills_the_free_capacity_fits() {
        assertThat(filter.reject(shared("i", "a", 1000, 512), used(node("n", 2000, 1024), 1000, 512))).isEmpty();
    }

    @Test
    void a_request_for_more_memory_than_is_free_is_rejected_for_memory() {
        assertThat(filter.reject(shared("i", "a", 100, 513), used(node("n", 2000, 1024), 0, 512)))
                .contains(FitsResources.INSUFFICIENT_MEMORY);
    }

    @Test
    void a_request_for_more_cpu_than_is_free_is_rejected_for_cpu() {
        assertThat(filter.reject(shared("i", "a", 1500, 100), used(node("n", 2000, 1024), 600, 0)))
                .contains(FitsResources.INSUFFICIENT_CPU);
    }

    @Test
    void a_hardware_isolated_request_is_charged_the_vm_overhead() {
        NodeView node = node("n", 2000, 512);
        assertThat(filter.reject(hardware("i", "a", 100, 512 - 64), node)).isEmpty();
        assertThat(filter.reject(hardware("i", "a", 100, 512 - 63), node)).contains(FitsResources.INSUFFICIENT_MEMORY);
        assertThat(filter.reject(shared("i", "a", 100, 512), node)).isEmpty();
    }

    @Test
    void the_vm_overhead_is_configurable() {
        FitsResources noOverhead = new FitsResources(new SchedulerPolicy(0, TieBreak.NAME));
        assertThat(noOverhead.reject(hardware("i", "a", 100, 512), node("n", 2000, 512))).isEmpty();
        assertThat(new SchedulerPolicy(128, TieBreak.NAME).charged(hardware("i", "a", 100, 256)))
                .isEqualTo(new Resources(100, 384));
    }
}
