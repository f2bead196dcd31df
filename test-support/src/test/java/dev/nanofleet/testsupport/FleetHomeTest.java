package dev.nanofleet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class FleetHomeTest {

    @Test
    void finds_the_fleet_home_the_build_passes() {
        // surefire sets nanofleet.fleet.home from the parent pom
        assertThat(FleetHome.dir().getFileName().toString()).isEqualTo(".fleet");
        assertThat(FleetHome.tools()).isEqualTo(FleetHome.dir().resolve("tools"));
        assertThat(Files.isRegularFile(FleetHome.repoRoot().resolve("mvnw"))).isTrue();
        assertThat(FleetHome.keycloakVersion()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(FleetHome.kafkaVersion()).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void the_realm_file_is_found() throws Exception {
        try (var in = KeycloakServer.realmJson()) {
            assertThat(new String(in.readAllBytes())).contains("\"realm\": \"nanofleet\"");
        }
    }
}
