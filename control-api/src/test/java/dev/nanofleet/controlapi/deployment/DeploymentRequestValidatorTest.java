package dev.nanofleet.controlapi.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.deployment.CreateDeploymentRequest.ResourcesRequest;
import dev.nanofleet.controlapi.problem.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeploymentRequestValidatorTest {

    private static CreateDeploymentRequest valid() {
        return new CreateDeploymentRequest("web", "busybox:1.36", 2, new ResourcesRequest(250, 128),
                RequestedIsolation.AUTO, List.of("sh", "-c", "sleep 1"), Map.of("GREETING", "hi"));
    }

    private static List<String> fields(CreateDeploymentRequest request) {
        return DeploymentRequestValidator.validate(request).stream().map(FieldError::field).toList();
    }

    @Test
    void a_request_within_every_bound_is_valid() {
        assertThat(DeploymentRequestValidator.validate(valid())).isEmpty();
    }

    @Test
    void optional_fields_may_be_left_out() {
        assertThat(fields(new CreateDeploymentRequest("web", "busybox", 1, new ResourcesRequest(50, 32), null, null,
                null))).isEmpty();
    }

    @Test
    void every_missing_required_field_is_named() {
        assertThat(fields(new CreateDeploymentRequest(null, null, null, null, null, null, null)))
                .containsExactly("name", "image", "replicas", "resources");
        assertThat(fields(new CreateDeploymentRequest("web", "busybox", 1, new ResourcesRequest(null, null), null,
                null, null))).containsExactly("resources.cpuMillis", "resources.memoryMiB");
    }

    @Test
    void restart_retries_and_ports_are_bounded_and_named_by_index() {
        CreateDeploymentRequest v = valid();
        List<CreateDeploymentRequest.PortRequest> ports = new ArrayList<>();
        ports.add(new CreateDeploymentRequest.PortRequest(8080));
        ports.add(new CreateDeploymentRequest.PortRequest(0));
        ports.add(new CreateDeploymentRequest.PortRequest(8080));
        ports.add(new CreateDeploymentRequest.PortRequest(null));
        ports.add(null);
        assertThat(fields(new CreateDeploymentRequest(v.name(), v.image(), v.replicas(), v.resources(), v.isolation(),
                v.command(), v.env(), new CreateDeploymentRequest.RestartPolicyRequest(RestartMode.ALWAYS, 101),
                ports, null, null))).containsExactly("restartPolicy.maxRetries", "ports[1].containerPort",
                        "ports[2].containerPort", "ports[3].containerPort", "ports[4]");
        List<CreateDeploymentRequest.PortRequest> tooMany = new ArrayList<>();
        for (int port = 1; port <= DeploymentRequestValidator.MAX_PORTS + 1; port++) {
            tooMany.add(new CreateDeploymentRequest.PortRequest(port));
        }
        assertThat(fields(new CreateDeploymentRequest(v.name(), v.image(), v.replicas(), v.resources(), v.isolation(),
                v.command(), v.env(), new CreateDeploymentRequest.RestartPolicyRequest(RestartMode.NEVER, 0),
                tooMany, null, null))).containsExactly("ports");
    }

    @Test
    void a_registry_login_needs_both_parts_and_no_colon_in_the_user_name() {
        CreateDeploymentRequest v = valid();
        assertThat(fields(new CreateDeploymentRequest(v.name(), v.image(), v.replicas(), v.resources(), v.isolation(),
                v.command(), v.env(), null, null, new CreateDeploymentRequest.ImageCredentialsRequest("ci", "s3cret"),
                null)))
                .isEmpty();
        assertThat(fields(new CreateDeploymentRequest(v.name(), v.image(), v.replicas(), v.resources(), v.isolation(),
                v.command(), v.env(), null, null, new CreateDeploymentRequest.ImageCredentialsRequest(null, ""), null)))
                .containsExactly("imageCredentials.username", "imageCredentials.password");
        assertThat(fields(new CreateDeploymentRequest(v.name(), v.image(), v.replicas(), v.resources(), v.isolation(),
                v.command(), v.env(), null, null, new CreateDeploymentRequest.ImageCredentialsRequest("a:b", "x"),
                null)))
                .containsExactly("imageCredentials.username");
        assertThat(new CreateDeploymentRequest.ImageCredentialsRequest("ci", "s3cret").toString())
                .doesNotContain("s3cret");
    }

    @Test
    void a_crash_is_restarted_by_default_and_never_means_no_retries() {
        assertThat(DeploymentService.restartPolicy(null))
                .isEqualTo(new dev.nanofleet.nodeapi.RestartPolicy(dev.nanofleet.nodeapi.RestartPolicy.Mode.ON_FAILURE,
                        DeploymentService.DEFAULT_MAX_RETRIES));
        assertThat(DeploymentService.restartPolicy(new CreateDeploymentRequest.RestartPolicyRequest(RestartMode.NEVER,
                7))).isEqualTo(dev.nanofleet.nodeapi.RestartPolicy.NEVER);
        assertThat(RestartMode.parse(" On-Failure ")).isEqualTo(RestartMode.ON_FAILURE);
    }

    @Test
    void a_missing_body_is_invalid() {
        assertThat(fields(null)).containsExactly("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "web", "web-1", "0abc",
            "a23456789012345678901234567890123456789012345678901234567890123"})
    void dns_labels_are_valid_names(String name) {
        assertThat(fields(withName(name))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Web", "-web", "web-", "web_1", "web.1", "we b",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void names_that_are_not_dns_labels_are_refused(String name) {
        assertThat(fields(withName(name))).containsExactly("name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "busybox:1.36", "library/busybox", "127.0.0.1:5000/demo/busybox:latest",
            "localhost:5000/busybox",
            "ghcr.example/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "registry.example:443/a/b/c:v1.2.3-rc_1"})
    void image_references_are_valid_images(String image) {
        assertThat(fields(withImage(image))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "BusyBox", "busybox:", "busybox::1", "http://registry/busybox", "a b",
            "busybox@sha256:short", "/busybox", "busybox/"})
    void malformed_image_references_are_refused(String image) {
        assertThat(fields(withImage(image))).containsExactly("image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci:/var/lib/images:1", "oci:latest", "oci-archive:x.tar", "dir:/etc",
            "docker-archive:app.tar", "containers-storage:app"})
    void local_transports_are_refused_as_the_node_refuses_them(String image) {
        List<FieldError> errors = DeploymentRequestValidator.validate(withImage(image));

        assertThat(errors).extracting(FieldError::field).containsExactly("image");
        assertThat(errors.get(0).message()).contains("names the transport '" + image.substring(0, image.indexOf(':')
                + 1) + "'");
    }

    @Test
    void replicas_cpu_and_memory_are_bounded_on_both_sides() {
        assertThat(fields(withSizes(0, 50, 32))).containsExactly("replicas");
        assertThat(fields(withSizes(51, 50, 32))).containsExactly("replicas");
        assertThat(fields(withSizes(50, 49, 32))).containsExactly("resources.cpuMillis");
        assertThat(fields(withSizes(50, 16_001, 32))).containsExactly("resources.cpuMillis");
        assertThat(fields(withSizes(50, 16_000, 31))).containsExactly("resources.memoryMiB");
        assertThat(fields(withSizes(50, 16_000, 65_537))).containsExactly("resources.memoryMiB");
        assertThat(fields(withSizes(1, 50, 32))).isEmpty();
        assertThat(fields(withSizes(50, 16_000, 65_536))).isEmpty();
    }

    @Test
    void the_message_tells_the_bounds() {
        assertThat(DeploymentRequestValidator.validate(withSizes(0, 50, 32)))
                .containsExactly(new FieldError("replicas", "must be between 1 and 50"));
    }

    @Test
    void env_names_must_be_shell_identifiers_and_the_bad_one_is_named() {
        Map<String, String> env = new HashMap<>();
        env.put("GOOD_1", "x");
        env.put("1BAD", "x");
        env.put("NULL_VALUE", null);
        assertThat(fields(withEnv(env))).containsExactlyInAnyOrder("env.1BAD", "env.NULL_VALUE");
    }

    @Test
    void env_values_and_counts_are_bounded() {
        assertThat(fields(withEnv(Map.of("BIG", "x".repeat(32 * 1024 + 1))))).containsExactly("env.BIG");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= DeploymentRequestValidator.MAX_ENV_VARS; i++) {
            many.put("V" + i, "x");
        }
        assertThat(fields(withEnv(many))).containsExactly("env");
    }

    @Test
    void command_arguments_are_named_by_index() {
        assertThat(fields(withCommand(Arrays.asList("sh", null)))).containsExactly("command[1]");
        assertThat(fields(withCommand(List.of(" ", "x")))).containsExactly("command[0]");
        assertThat(fields(withCommand(List.of()))).containsExactly("command");
        List<String> long_ = new ArrayList<>();
        for (int i = 0; i <= DeploymentRequestValidator.MAX_COMMAND_ARGS; i++) {
            long_.add("a");
        }
        assertThat(fields(withCommand(long_))).containsExactly("command");
        assertThat(fields(withCommand(List.of("sh", "x".repeat(4097))))).containsExactly("command[1]");
    }

    private static CreateDeploymentRequest withName(String name) {
        CreateDeploymentRequest v = valid();
        return new CreateDeploymentRequest(name, v.image(), v.replicas(), v.resources(), v.isolation(), v.command(),
                v.env());
    }

    private static CreateDeploymentRequest withImage(String image) {
        CreateDeploymentRequest v = valid();
        return new CreateDeploymentRequest(v.name(), image, v.replicas(), v.resources(), v.isolation(), v.command(),
                v.env());
    }

    private static CreateDeploymentRequest withSizes(int replicas, int cpu, int memory) {
        CreateDeploymentRequest v = valid();
        return new CreateDeploymentRequest(v.name(), v.image(), replicas, new ResourcesRequest(cpu, memory),
                v.isolation(), v.command(), v.env());
    }

    private static CreateDeploymentRequest withEnv(Map<String, String> env) {
        CreateDeploymentRequest v = valid();
        return new CreateDeploymentRequest(v.name(), v.image(), v.replicas(), v.resources(), v.isolation(),
                v.command(), env);
    }

    private static CreateDeploymentRequest withCommand(List<String> command) {
        CreateDeploymentRequest v = valid();
        return new CreateDeploymentRequest(v.name(), v.image(), v.replicas(), v.resources(), v.isolation(), command,
                v.env());
    }

    private static UpdateDeploymentRequest update(Integer replicas, String image, HealthCheckRequest check,
            Map<String, String> env, RolloutPolicyRequest rollout) {
        return new UpdateDeploymentRequest(replicas, image, null, null, null, env, null, null, null, null, check,
                null, rollout);
    }

    private static List<String> updateFields(UpdateDeploymentRequest request) {
        return DeploymentRequestValidator.validate(request, Map.of(), java.util.Set.of("TOKEN")).stream()
                .map(FieldError::field).toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 50})
    void a_scale_within_the_create_bounds_is_valid(int replicas) {
        assertThat(updateFields(update(replicas, null, null, null, null))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 51, 1000})
    void a_scale_outside_the_create_bounds_names_replicas(int replicas) {
        assertThat(DeploymentRequestValidator.validate(update(replicas, null, null, null, null), Map.of(),
                java.util.Set.of())).containsExactly(new FieldError("replicas", "must be between 1 and 50"));
    }

    @Test
    void an_update_that_names_nothing_or_has_no_body_is_invalid() {
        assertThat(updateFields(update(null, null, null, null, null))).containsExactly("");
        assertThat(updateFields(null)).containsExactly("");
    }

    @Test
    void an_update_checks_each_field_it_gives_like_a_create() {
        assertThat(updateFields(update(null, "BusyBox", null, null, null))).containsExactly("image");
        assertThat(updateFields(update(null, "busybox:2", null, Map.of("1BAD", "x"), null)))
                .containsExactly("env.1BAD");
    }

    @Test
    void an_env_variable_named_like_a_kept_secret_is_refused() {
        assertThat(updateFields(update(null, null, null, Map.of("TOKEN", "plain"), null)))
                .containsExactly("secrets.TOKEN");
    }

    @Test
    void a_health_check_needs_what_its_type_uses_and_nothing_else() {
        assertThat(updateFields(update(null, null, new HealthCheckRequest(HealthCheckRequest.Type.HTTP, 8080,
                "/healthz", 200, 299, null, 5, 1, 0, 3), null, null))).isEmpty();
        assertThat(updateFields(update(null, null, new HealthCheckRequest(HealthCheckRequest.Type.HTTP, null,
                "healthz", 500, 200, List.of("true"), 0, 0, -1, 0), null, null))).containsExactly("healthCheck.port",
                        "healthCheck.command", "healthCheck.path", "healthCheck.statusMax",
                        "healthCheck.intervalSeconds", "healthCheck.timeoutSeconds", "healthCheck.startPeriodSeconds",
                        "healthCheck.failureThreshold");
        assertThat(updateFields(update(null, null, new HealthCheckRequest(HealthCheckRequest.Type.EXEC, 80, null,
                null, null, List.of(""), null, null, null, null), null, null)))
                .containsExactly("healthCheck.command[0]", "healthCheck.port");
        assertThat(updateFields(update(null, null, new HealthCheckRequest(null, 80, null, null, null, null, null,
                null, null, null), null, null))).containsExactly("healthCheck.type");
    }

    @Test
    void a_rollout_policy_takes_counts_or_percentages_and_cannot_freeze() {
        assertThat(updateFields(update(null, null, null, null,
                new RolloutPolicyRequest("1", "50%", 5, 60, false)))).isEmpty();
        assertThat(updateFields(update(null, null, null, null,
                new RolloutPolicyRequest("-1", "150%", -1, 1, null)))).containsExactly("rolloutPolicy.maxSurge",
                        "rolloutPolicy.maxUnavailable", "rolloutPolicy.minReadySeconds",
                        "rolloutPolicy.progressDeadlineSeconds");
        assertThat(updateFields(update(null, null, null, null, new RolloutPolicyRequest("0", "0%", null, null,
                null)))).containsExactly("rolloutPolicy.maxUnavailable");
    }

    @Test
    void a_health_check_with_defaults_becomes_the_check_the_node_runs() {
        var check = new HealthCheckRequest(HealthCheckRequest.Type.HTTP, 8080, null, null, null, null, null, null,
                null, null).toCheck();
        assertThat(check).isEqualTo(new dev.nanofleet.nodeapi.HealthCheck(dev.nanofleet.nodeapi.HealthCheck.Type.HTTP,
                8080, "/", 200, 399, null, 10, 2, 0, 3));
        assertThat(HealthCheckRequest.of(check).toCheck()).isEqualTo(check);
    }

    private static CreateDeploymentRequest withEnvAndSecrets(Map<String, String> env, Map<String, String> secrets) {
        CreateDeploymentRequest v = valid();
        return new CreateDeploymentRequest(v.name(), v.image(), v.replicas(), v.resources(), v.isolation(),
                v.command(), env, null, null, null, secrets);
    }

    @Test
    void a_nul_character_in_an_env_value_a_secret_or_an_argument_is_named() {
        assertThat(fields(withEnvAndSecrets(Map.of("A", "x\0y"), Map.of("B", "\0")))).containsExactly("env.A",
                "secrets.B");
        assertThat(fields(withCommand(List.of("sh", "-c", "echo\0")))).containsExactly("command[2]");
    }

    @Test
    void secrets_follow_the_env_rules_and_may_not_repeat_an_env_name() {
        assertThat(fields(withEnvAndSecrets(Map.of("PLAIN", "1"), Map.of("TOKEN", "s3cret")))).isEmpty();
        assertThat(fields(withEnvAndSecrets(Map.of("TOKEN", "1"), Map.of("TOKEN", "2", "1BAD", "x"))))
                .containsExactlyInAnyOrder("secrets.1BAD", "secrets.TOKEN");
    }

    @Test
    void env_and_secrets_together_are_bounded_so_a_deployment_stays_small() {
        Map<String, String> env = new HashMap<>();
        Map<String, String> secrets = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            env.put("E" + i, "v".repeat(DeploymentRequestValidator.MAX_ENV_VALUE_BYTES));
            secrets.put("S" + i, "v".repeat(DeploymentRequestValidator.MAX_ENV_VALUE_BYTES));
        }
        assertThat(fields(withEnvAndSecrets(env, Map.of()))).containsExactly("env");
        env.remove("E0");
        assertThat(fields(withEnvAndSecrets(env, secrets))).containsExactly("secrets");
    }

    private static CreateDeploymentRequest withEgress(EgressRequest egress) {
        CreateDeploymentRequest v = valid();
        return new CreateDeploymentRequest(v.name(), v.image(), v.replicas(), v.resources(), v.isolation(), v.command(),
                v.env(), null, null, null, null, null, null, egress);
    }

    private static EgressRequest.Destination to(String cidr, Integer... ports) {
        return new EgressRequest.Destination(cidr, ports.length == 0 ? null : Arrays.asList(ports));
    }

    @Test
    void an_egress_policy_may_be_left_out_or_given_in_any_mode() {
        assertThat(fields(withEgress(null))).isEmpty();
        assertThat(fields(withEgress(new EgressRequest(EgressRequest.Mode.DENY_ALL, null)))).isEmpty();
        assertThat(fields(withEgress(new EgressRequest(EgressRequest.Mode.ALLOW_ALL, null)))).isEmpty();
        assertThat(fields(withEgress(new EgressRequest(EgressRequest.Mode.ALLOW_LIST, List.of(to("203.0.113.0/24",
                443, 80), to("0.0.0.0/0"), to("198.51.100.7/32", 53)))))).isEmpty();
    }

    @Test
    void every_bad_part_of_an_egress_policy_is_named_by_its_path() {
        List<Integer> seventeen = new ArrayList<>();
        for (int p = 1; p <= DeploymentRequestValidator.MAX_EGRESS_PORTS + 1; p++) {
            seventeen.add(p);
        }
        assertThat(DeploymentRequestValidator.validate(withEgress(new EgressRequest(EgressRequest.Mode.ALLOW_LIST,
                Arrays.asList(to("203.0.113.9/24"), to("300.1.1.0/24"), to("10.0.0.0/40"), to(null), to("::/0"),
                        to("10.0.0.0/8", 0, 443, 443, null, 65536), null, new EgressRequest.Destination("10.0.0.0/8",
                                seventeen))))))
                .extracting(FieldError::field, FieldError::message).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("egress.allow[0].cidr",
                                "has host bits set: the network is 203.0.113.0/24"),
                        org.assertj.core.groups.Tuple.tuple("egress.allow[1].cidr",
                                "must be an IPv4 network in CIDR form, e.g. 203.0.113.0/24 (octet 300 is above 255)"),
                        org.assertj.core.groups.Tuple.tuple("egress.allow[2].cidr",
                                "has a prefix length above 32"),
                        org.assertj.core.groups.Tuple.tuple("egress.allow[3].cidr",
                                "is required: an IPv4 network in CIDR form, e.g. 203.0.113.0/24"),
                        org.assertj.core.groups.Tuple.tuple("egress.allow[4].cidr",
                                "must be an IPv4 network in CIDR form, e.g. 203.0.113.0/24"),
                        org.assertj.core.groups.Tuple.tuple("egress.allow[5].ports[0]",
                                "must be between 1 and 65535"),
                        org.assertj.core.groups.Tuple.tuple("egress.allow[5].ports[2]",
                                "repeats port 443"),
                        org.assertj.core.groups.Tuple.tuple("egress.allow[5].ports[3]",
                                "must be between 1 and 65535"),
                        org.assertj.core.groups.Tuple.tuple("egress.allow[5].ports[4]",
                                "must be between 1 and 65535"),
                        org.assertj.core.groups.Tuple.tuple("egress.allow[6]", "must not be null"),
                        org.assertj.core.groups.Tuple.tuple("egress.allow[7].ports",
                                "must have at most 16 ports"));
    }

    @Test
    void an_allow_list_is_only_for_its_mode_required_there_and_bounded() {
        assertThat(fields(withEgress(new EgressRequest(EgressRequest.Mode.DENY_ALL, List.of(to("10.0.0.0/8"))))))
                .containsExactly("egress.allow");
        assertThat(fields(withEgress(new EgressRequest(EgressRequest.Mode.ALLOW_LIST, List.of())))).containsExactly(
                "egress.allow");
        assertThat(fields(withEgress(new EgressRequest(null, null)))).containsExactly("egress.mode");
        List<EgressRequest.Destination> many = new ArrayList<>();
        for (int i = 0; i <= DeploymentRequestValidator.MAX_EGRESS_DESTINATIONS; i++) {
            many.add(to("10.0." + i + ".0/24"));
        }
        assertThat(DeploymentRequestValidator.validate(withEgress(new EgressRequest(EgressRequest.Mode.ALLOW_LIST,
                many)))).extracting(FieldError::message).containsExactly("must have at most 50 entries");
    }

    @Test
    void an_update_of_the_egress_policy_is_validated_and_revises_the_spec() {
        UpdateDeploymentRequest update = new UpdateDeploymentRequest(null, null, null, null, null, null, null, null,
                null, null, null, null, null, new EgressRequest(EgressRequest.Mode.ALLOW_ALL, List.of(to(
                        "10.0.0.0/8"))));

        assertThat(updateFields(update)).containsExactly("egress.allow");
        assertThat(update.revises()).isTrue();
    }
}
