package dev.nanofleet.edge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.nanofleet.testsupport.HostTools;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./fleet bench ingress} in short (2 s a path, 4 connections), so the harness cannot rot: its summary line keeps
 * its shape and every path (straight to the replica, HTTPS through the edge, plain HTTP through the edge) serves
 * requests without a failed one. The figures themselves are not judged here: CI's machine is shared and busy.
 */
class IngressBenchIT {

    private static final String NUMBER = "\\d+(\\.\\d+)?";
    private static final Pattern KEY_VALUE = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    @Test
    void a_short_run_serves_every_path_without_a_failed_request_and_prints_the_summary_line() throws Exception {
        HostTools.require("haproxy", "openssl");

        String line = IngressBench.run(new IngressBench.Settings(4, 2, 1));

        String path = "%1$s_rps=N %1$s_p50_ms=N %1$s_p99_ms=N %1$s_errors=\\d+ %1$s_haproxy_cores=N"
                + " %1$s_haproxy_us_per_request=N %1$s_jvm_cores=N %1$s_jvm_us_per_request=N";
        assertThat(line)
                .matches(("ingress connections=4 seconds=2 warmup_seconds=1 rounds=1 " + path.formatted("direct") + " "
                        + path.formatted("edge") + " edge_ratio=N " + path.formatted("edge_http")
                        + " edge_http_ratio=N load_avg=\"[^\"]+\"").replace("N", NUMBER));
        Map<String, String> figures = figures(line);
        for (String name : new String[]{"direct", "edge", "edge_http"}) {
            assertThat(Double.parseDouble(figures.get(name + "_rps"))).as(name + " requests per second").isPositive();
            assertThat(figures.get(name + "_errors")).as(name + " failed requests").isEqualTo("0");
        }
        assertThat(Double.parseDouble(figures.get("edge_ratio"))).isPositive();
        assertThat(Double.parseDouble(figures.get("edge_haproxy_cores"))).as("HAProxy's CPU, read from /proc")
                .isPositive();
    }

    @Test
    void settings_that_would_measure_nothing_are_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IngressBench.Settings(0, 2, 1)).withMessageContaining("bench.connections");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IngressBench.Settings(4, 0, 1)).withMessageContaining("bench.seconds");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IngressBench.Settings(4, 2, -1)).withMessageContaining("bench.warmup-seconds");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IngressBench.Settings(4, 2, 1, 0, "")).withMessageContaining("bench.rounds");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IngressBench.Settings(4, 2, 1, 1, "1; rm"))
                .withMessageContaining("bench.haproxy-cpus");
    }

    @Test
    void each_ratio_is_the_median_of_its_rounds_ratios() {
        List<IngressBench.Run> direct = List.of(run(1000), run(2000), run(1000));
        // 0.9, 0.4 and 0.8 of the same round's direct rate: the median is 0.8 (the ratio of the totals, 0.63, would let one round's drift decide)
        List<IngressBench.Run> edge = List.of(run(900), run(800), run(800));

        assertThat(IngressBench.medianRatio(edge, direct)).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(IngressBench.medianRatio(edge.subList(0, 2), direct.subList(0, 2)))
                .isCloseTo(0.65, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static IngressBench.Run run(int requests) {
        return new IngressBench.Run("path", new long[requests], 0, 1, 0, 0);
    }

    private static Map<String, String> figures(String line) {
        Map<String, String> figures = new LinkedHashMap<>();
        Matcher m = KEY_VALUE.matcher(line);
        while (m.find()) {
            figures.put(m.group(1), m.group(2));
        }
        return figures;
    }
}
