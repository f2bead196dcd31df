package dev.nanofleet.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryMirrorsTest {

    @Test
    void pairs_of_hosts_become_registries_with_one_mirror_each() {
        RegistryMirrors mirrors = RegistryMirrors
                .parse(List.of("127.0.0.1:5000=10.0.2.2:5000", " registry.example=cache "));

        assertThat(mirrors.mirrorByRegistry()).containsEntry("127.0.0.1:5000", "10.0.2.2:5000")
                .containsEntry("registry.example", "cache").hasSize(2);
        assertThat(mirrors.registriesConf(true)).contains("""
                [[registry]]
                location = "127.0.0.1:5000"
                insecure = true
                [[registry.mirror]]
                location = "10.0.2.2:5000"
                insecure = true
                """);
        assertThat(mirrors.registriesConf(false)).contains("insecure = false").doesNotContain("insecure = true");
    }

    @Test
    void no_entries_mean_no_mirrors() {
        assertThat(RegistryMirrors.parse(List.of()).isEmpty()).isTrue();
        assertThat(RegistryMirrors.NONE.isEmpty()).isTrue();
    }

    @Test
    void anything_but_host_or_host_and_port_on_each_side_is_refused_naming_the_entry() {
        for (String bad : List.of("10.0.2.2:5000", "a=b=c", "=cache", "reg=", "https://reg=cache", "reg=cache/path",
                "reg=cache\"\n[[registry]]", "reg=cache:99999", "reg=cache:", "reg=-cache")) {
            assertThatThrownBy(() -> RegistryMirrors.parse(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
    }

    @Test
    void a_registry_named_twice_is_refused() {
        assertThatThrownBy(() -> RegistryMirrors.parse(List.of("reg=a", "reg=b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one mirror");
    }
}
