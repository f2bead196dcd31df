package dev.nanofleet.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartRenderTest {

    private final Chart chart = Chart.ofThisCheckout();

    @Test
    void default_values_render_only_the_core_resources() {
        Chart.Rendered rendered = chart.render();
        System.out.println(rendered.text());
        assertThat(rendered.kinds()).containsExactly("Deployment", "PodDisruptionBudget", "Secret", "Service",
                "ServiceAccount");
    }
}
