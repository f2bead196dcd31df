package dev.nanofleet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void the_cache_lives_outside_the_checkout_unless_told_otherwise(@TempDir Path elsewhere) {
        String before = System.getProperty(FleetHome.CACHE_PROPERTY);
        try {
            System.clearProperty(FleetHome.CACHE_PROPERTY);
            // NANOFLEET_CACHE, when the build runs under ./fleet, or the per-user default: never the clone's .fleet
            assertThat(FleetHome.cache().startsWith(FleetHome.repoRoot())).isFalse();
            System.setProperty(FleetHome.CACHE_PROPERTY, elsewhere.resolve("c").toString());
            assertThat(FleetHome.cache()).isEqualTo(elsewhere.resolve("c")).isDirectory();
        } finally {
            if (before == null) {
                System.clearProperty(FleetHome.CACHE_PROPERTY);
            } else {
                System.setProperty(FleetHome.CACHE_PROPERTY, before);
            }
        }
    }

    @Test
    void the_realm_file_is_found() throws Exception {
        try (var in = KeycloakServer.realmJson()) {
            assertThat(new String(in.readAllBytes())).contains("\"realm\": \"nanofleet\"");
        }
    }
}
