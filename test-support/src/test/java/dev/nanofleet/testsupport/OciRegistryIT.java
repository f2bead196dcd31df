package dev.nanofleet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciRegistryIT {

    @Test
    void serves_the_pushed_demo_image() throws Exception {
        Path skopeo = HostTools.require("skopeo", "umoci", "docker-registry");
        long start = System.nanoTime();
        OciRegistry registry = OciRegistry.shared();
        System.err.printf("registry started in %d ms%n", (System.nanoTime() - start) / 1_000_000);

        Map<String, String> props = new RegistryTestResource().start();
        String ref = props.get("nanofleet.test.demo-image");
        assertThat(ref).isEqualTo(registry.address() + "/demo/hello:1");
        assertThat(props).containsEntry("nanofleet.test.registry", registry.address());

        JsonNode inspect = new ObjectMapper().readTree(ManagedProcess.run(Duration.ofSeconds(60),
                List.of(skopeo.toString(), "inspect", "--tls-verify=false", "docker://" + ref)));
        assertThat(inspect.path("Digest").asText()).startsWith("sha256:");

        JsonNode config = new ObjectMapper().readTree(ManagedProcess.run(Duration.ofSeconds(60),
                List.of(skopeo.toString(), "inspect", "--config", "--tls-verify=false", "docker://" + ref)));
        List<String> entrypoint = new ObjectMapper().convertValue(config.path("config").path("Entrypoint"), List.class);
        assertThat(entrypoint).isEqualTo(DemoImage.ENTRYPOINT);
        assertThat(config.path("config").path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("config").path("User").asText()).isEqualTo("root");
    }
}
