package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.hardware;
import static dev.nanofleet.scheduler.core.Fixtures.labelled;
import static dev.nanofleet.scheduler.core.Fixtures.node;
import static dev.nanofleet.scheduler.core.Fixtures.selecting;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchesLabelsTest {

    private final MatchesLabels filter = new MatchesLabels();
    private final PlacementRequest zoneA = selecting(hardware("i", "t", 100, 100), Map.of("zone", "a"));

    @Test
    void a_node_with_the_required_label_passes() {
        assertThat(filter.reject(zoneA, labelled(node("n", 1000, 1024), Map.of("zone", "a", "disk", "ssd"))))
                .isEmpty();
    }

    @Test
    void a_node_with_another_value_or_without_the_label_is_rejected() {
        assertThat(filter.reject(zoneA, labelled(node("n", 1000, 1024), Map.of("zone", "b"))))
                .contains(MatchesLabels.LABELS_MISMATCH);
        assertThat(filter.reject(zoneA, node("n", 1000, 1024))).contains(MatchesLabels.LABELS_MISMATCH);
    }

    @Test
    void every_required_label_must_match() {
        PlacementRequest both = selecting(hardware("i", "t", 100, 100), Map.of("zone", "a", "disk", "ssd"));
        assertThat(filter.reject(both, labelled(node("n", 1000, 1024), Map.of("zone", "a"))))
                .contains(MatchesLabels.LABELS_MISMATCH);
    }

    @Test
    void a_request_without_a_selector_fits_any_node() {
        assertThat(filter.reject(hardware("i", "t", 100, 100), node("n", 1000, 1024))).isEmpty();
    }

    @Test
    void the_scheduler_places_on_the_matching_node_even_when_another_packs_better() {
        List<NodeView> nodes = List.of(labelled(Fixtures.used(node("b1", 4000, 4096), 3000, 3000), Map.of("zone", "b")),
                labelled(node("a1", 4000, 4096), Map.of("zone", "a")));
        assertThat(new Scheduler(SchedulerPolicy.defaults()).place(zoneA, nodes)).isInstanceOfSatisfying(
                PlacementDecision.Placed.class, p -> assertThat(p.nodeName()).isEqualTo("a1"));
    }
}
