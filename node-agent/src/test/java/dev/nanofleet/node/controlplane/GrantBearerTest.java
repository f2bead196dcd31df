package dev.nanofleet.node.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.nodeapi.GrantKeys;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

class GrantBearerTest {

    private final PublicKey key = GrantKeys.fromSeed(GrantKeys.newSeed()).getPublic();

    @Test
    void a_bearer_is_taken_whatever_the_case_of_its_scheme_and_stripped() {
        assertThat(GrantBearer.of("Bearer abc.def ", key)).isEqualTo(new GrantBearer("abc.def", null));
        assertThat(GrantBearer.of("bearer abc", key).token()).isEqualTo("abc");
    }

    @Test
    void before_the_first_registration_nothing_is_checked() {
        assertThat(GrantBearer.of("Bearer abc", null)).isEqualTo(new GrantBearer(null,
                "not registered with control-api yet"));
    }

    @Test
    void no_header_or_another_scheme_is_refused() {
        for (String authorization : new String[]{null, "", "Basic YTpi", "Bearer"}) {
            assertThat(GrantBearer.of(authorization, key)).as(authorization).isEqualTo(new GrantBearer(null,
                    "a bearer grant from control-api is required"));
        }
    }
}
