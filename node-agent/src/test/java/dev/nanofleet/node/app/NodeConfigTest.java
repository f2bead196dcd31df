package dev.nanofleet.node.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import dev.nanofleet.node.net.DnsUpstreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's configuration as Quarkus reads it: every bad value is refused at start-up, naming its key. */
class NodeConfigTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure().messageInterpolator(
            new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static Map<String, String> valid() {
        Map<String, String> c = new HashMap<>();
        c.put("nanofleet.node.name", "node-1");
        c.put("nanofleet.node.control-api-url", "http://127.0.0.1:8080");
        c.put("nanofleet.node.join-token", "nfj_s3cret");
        return c;
    }

    private static NodeConfig read(Map<String, String> properties) {
        // as Quarkus reads it: its duration form ("5s"), expressions, and Bean Validation of the mapping
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withConverter(Duration.class,
                200, new DurationConverter()).withMapping(NodeConfig.class).withSources(new PropertiesConfigSource(
                        properties, "test", 100))
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .build();
        return config.getConfigMapping(NodeConfig.class);
    }

    /** Every problem reported when the configuration is read, as "key message". */
    private static List<String> problems(Map<String, String> overrides) {
        Map<String, String> properties = valid();
        properties.putAll(overrides);
        try {
            read(properties);
            return List.of();
        } catch (ConfigValidationException e) {
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < e.getProblemCount(); i++) {
                problems.add(e.getProblem(i).getMessage());
            }
            return problems;
        }
    }

    @Test
    void a_valid_configuration_is_read_with_its_defaults() {
        NodeConfig c = read(valid());

        assertThat(c.name()).isEqualTo("node-1");
        assertThat(c.network().pool()).isEqualTo("auto");
        assertThat(c.joinToken()).contains("nfj_s3cret");
        assertThat(c.workers()).isEqualTo(4);
        assertThat(c.runtime().cgroupParent()).isEqualTo("nanofleet");
        assertThat(c.stop().drainDelay()).isEqualTo(Duration.ofSeconds(5));
        NodeConfigCheck.validate(c);
    }

    @Test
    void each_bad_value_is_refused_naming_its_key() {
        Map<String, String> bad = Map.ofEntries(Map.entry("nanofleet.node.name", "Node_1"), Map.entry(
                "nanofleet.node.control-api-url", "ftp://x"), Map.entry("nanofleet.node.agent-url", "file:/etc"),
                Map.entry("nanofleet.node.state-dir", "relative/dir"), Map.entry(
                        "nanofleet.node.allocatable.cpu-millis", "0"),
                Map.entry(
                        "nanofleet.node.allocatable.memory-mib", "-1"),
                Map.entry(
                        "nanofleet.node.reconcile-interval", "0s"),
                Map.entry(
                        "nanofleet.node.stop-grace-period", "-1s"),
                Map.entry(
                        "nanofleet.node.stop.drain-delay", "-1s"),
                Map.entry(
                        "nanofleet.node.workers", "0"),
                Map.entry(
                        "nanofleet.node.logs.max-files", "0"),
                Map.entry("nanofleet.node.hardware.accelerator", "fast"), Map.entry("nanofleet.node.network.pool",
                        "10.1.0.0/25"),
                Map.entry("nanofleet.node.network.publish-address", "anywhere"),
                Map.entry("nanofleet.node.runtime.cgroup-parent", "../escape"));

        List<String> problems = problems(bad);

        for (String key : bad.keySet()) {
            assertThat(problems).as(key).anyMatch(p -> p.startsWith(key + " "));
        }
        assertThat(problems).contains("nanofleet.node.network.pool must be auto or an IPv4 network holding at least"
                + " one /24, like 10.213.0.0/16", "nanofleet.node.workers must be greater than or equal to 1",
                "nanofleet.node.state-dir must be an absolute path",
                "nanofleet.node.reconcile-interval must be positive",
                "nanofleet.node.stop-grace-period must not be negative");
        assertThat(problems).noneMatch(p -> p.contains("s3cret"));
    }

    @Test
    void a_drain_delay_is_zero_to_ten_minutes() {
        assertThat(read(with(Map.of("nanofleet.node.stop.drain-delay", "0s"))).stop().drainDelay()).isZero();
        assertThat(problems(Map.of("nanofleet.node.stop.drain-delay", "10m"))).isEmpty();
        assertThat(problems(Map.of("nanofleet.node.stop.drain-delay", "11m"))).containsExactly(
                "nanofleet.node.stop.drain-delay must be at most 10 minutes");
        assertThat(problems(Map.of("nanofleet.node.stop.drain-delay", "-1s"))).containsExactly(
                "nanofleet.node.stop.drain-delay must not be negative");
    }

    @Test
    void dns_upstreams_are_ipv4_addresses_with_optional_ports_and_a_bad_one_stops_the_agent_naming_the_key() {
        assertThat(NodeConfigCheck.dnsUpstreams(read(with(Map.of("nanofleet.node.dns.upstream",
                "127.0.0.53,192.0.2.9:5353"))))).extracting(DnsUpstreams::text).containsExactly("127.0.0.53:53",
                        "192.0.2.9:5353");
        assertThatThrownBy(() -> NodeConfigCheck.dnsUpstreams(read(with(Map.of("nanofleet.node.dns.upstream",
                "dns.example.test"))))).isInstanceOf(IllegalStateException.class).hasMessageContaining(
                        "nanofleet.node.dns.upstream")
                .hasMessageContaining("dns.example.test");
    }

    private static Map<String, String> with(Map<String, String> overrides) {
        Map<String, String> properties = valid();
        properties.putAll(overrides);
        return properties;
    }

    @Test
    void a_cgroup_parent_is_one_cgroup_name() {
        assertThat(problems(Map.of("nanofleet.node.runtime.cgroup-parent", "nanofleet-local-2"))).isEmpty();
        assertThat(problems(Map.of("nanofleet.node.runtime.cgroup-parent", "a/b"))).hasSize(1);
        assertThat(problems(Map.of("nanofleet.node.runtime.cgroup-parent", ""))).hasSize(1);
    }

    @Test
    void a_pool_is_auto_or_a_network_holding_a_tenant_subnet() {
        assertThat(problems(Map.of("nanofleet.node.network.pool", "auto"))).isEmpty();
        assertThat(problems(Map.of("nanofleet.node.network.pool", "10.77.0.0/16"))).isEmpty();
        assertThat(problems(Map.of("nanofleet.node.network.pool", "10.77.0/16"))).hasSize(1);
    }

    @Test
    void with_neither_a_stored_credential_nor_a_join_token_the_agent_does_not_start(@TempDir Path stateDir) {
        Map<String, String> properties = valid();
        properties.remove("nanofleet.node.join-token");
        properties.put("nanofleet.node.state-dir", stateDir.toString());

        assertThatThrownBy(() -> NodeConfigCheck.validate(read(properties))).hasMessageContaining(
                "no node credential in " + stateDir.resolve("node-credential"))
                .hasMessageContaining("no nanofleet.node.join-token (NANOFLEET_NODE_JOIN_TOKEN)");
        properties.put("nanofleet.node.join-token", " ");
        assertThatThrownBy(() -> NodeConfigCheck.validate(read(properties)))
                .hasMessageContaining("no nanofleet.node.join-token");
    }

    @Test
    void a_stored_credential_needs_no_join_token(@TempDir Path stateDir) throws IOException {
        Files.writeString(stateDir.resolve("node-credential"), "nfn_x\n");
        Map<String, String> properties = valid();
        properties.remove("nanofleet.node.join-token");
        properties.put("nanofleet.node.state-dir", stateDir.toString());

        NodeConfigCheck.validate(read(properties));
    }
}
