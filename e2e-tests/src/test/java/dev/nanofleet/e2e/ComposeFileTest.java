package dev.nanofleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml read as data, in every build: the short form of {@link ComposeJourneyIT} (which runs it with
 * podman, from {@code ./fleet compose it}). What an operator relies on without running it: the services' images are
 * the ones the build's {@code images} profile makes, each has a health check and a memory limit, the backends can be
 * swapped by a variable, and no sealing or signing key comes with a default.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> SERVICES = List.of("control-api", "scheduler", "tenant-billing", "web-ui");
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{[A-Z0-9_]+:\\?[^}]+}");

    private final Map<String, Map<String, Object>> services = services();

    @Test
    void each_service_runs_the_image_the_build_makes_with_a_health_check_and_a_memory_limit() throws IOException {
        String version = projectVersion();
        for (String name : SERVICES) {
            Map<String, Object> service = services.get(name);
            assertThat(service).as(name).isNotNull();
            assertThat(service.get("image")).as(name + "'s image").isEqualTo("${NANOFLEET_IMAGE_REGISTRY:-localhost}"
                    + "/nanofleet/" + name + ":${NANOFLEET_VERSION:-" + version + "}");
            assertThat(map(service.get("healthcheck")).get("test")).as(name + "'s health check").isNotNull();
            assertThat(service.get("mem_limit")).as(name + "'s memory limit").isNotNull();
        }
    }

    @Test
    void the_backends_name_their_official_images_and_a_variable_replaces_each() {
        Map<String, String> expected = Map.of("postgres", "NANOFLEET_POSTGRES_IMAGE", "kafka",
                "NANOFLEET_KAFKA_IMAGE", "keycloak", "NANOFLEET_KEYCLOAK_IMAGE");
        expected.forEach((name, variable) -> {
            assertThat((String) services.get(name).get("image")).as(name).startsWith("${" + variable + ":-")
                    .doesNotContain("nanofleet");
            assertThat(map(services.get(name).get("healthcheck")).get("test")).as(name + "'s health check")
                    .isNotNull();
        });
    }

    /** The sealing and signing keys; the Keycloak client secret's default is the one the development realm holds. */
    @Test
    void every_key_must_be_given_none_has_a_default() {
        services.forEach((name, service) -> map(service.get("environment")).forEach((key, value) -> {
            if (key.endsWith("_KEY")) {
                assertThat(String.valueOf(value)).as(name + " " + key).matches(REQUIRED_VARIABLE);
            }
        }));
    }

    @Test
    void a_service_waits_only_for_services_that_exist_and_report_health() {
        services.forEach((name, service) -> map(service.get("depends_on")).forEach((dependency, condition) -> {
            assertThat(services).as(name + " depends on " + dependency).containsKey((String) dependency);
            assertThat(map(condition).get("condition")).isEqualTo("service_healthy");
            assertThat(map(services.get(dependency).get("healthcheck"))).as(dependency + "'s health check")
                    .containsKey("test");
        }));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() {
        try {
            Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
            return (Map<String, Map<String, Object>>) compose.get("services");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read docker-compose.yml", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    /** The parent pom's version, as deploy/compose/compose reads it. */
    private static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("(?m)^  <version>(.*)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(m.find()).as("a version in pom.xml").isTrue();
        return m.group(1);
    }
}
