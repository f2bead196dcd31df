package dev.nanofleet.edge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AppsDomainTest {

    private final AppsDomain domain = new AppsDomain("apps.localhost");

    @Test
    void a_deployment_answers_at_its_name_dash_tenant_under_the_domain() {
        assertThat(domain.hostname("hello", "globex")).contains("hello-globex.apps.localhost");
        assertThat(domain.wildcard()).isEqualTo("*.apps.localhost");
    }

    @Test
    void hostnames_are_lower_case() {
        assertThat(domain.hostname("Hello", "Globex")).contains("hello-globex.apps.localhost");
    }

    @Test
    void a_name_that_makes_no_dns_label_gets_no_hostname() {
        assertThat(domain.hostname("a".repeat(60), "globex")).isEmpty();
        assertThat(domain.hostname("hello_world", "globex")).isEmpty();
        assertThat(domain.hostname("hello", "glo bex")).isEmpty();
        assertThat(domain.hostname("hello", "globex\nbackend x")).isEmpty();
        assertThat(domain.hostname(null, "globex")).isEmpty();
    }

    @Test
    void an_invalid_domain_is_refused_at_start() {
        assertThatThrownBy(() -> new AppsDomain("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppsDomain(".apps.localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppsDomain("apps..localhost")).hasMessageContaining("invalid label");
        assertThatThrownBy(() -> new AppsDomain("apps.local host")).hasMessageContaining("invalid label");
    }
}
