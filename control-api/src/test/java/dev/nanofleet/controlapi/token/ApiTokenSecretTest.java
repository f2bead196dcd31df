package dev.nanofleet.controlapi.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokenSecretTest {

    @Test
    void secrets_carry_the_prefix_are_well_formed_and_do_not_repeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = ApiTokenSecret.generate();
            assertThat(secret).startsWith("nfk_").hasSize(47);
            assertThat(ApiTokenSecret.wellFormed(secret)).isTrue();
            assertThat(seen.add(secret)).isTrue();
        }
    }

    @Test
    void only_the_prefix_marks_a_bearer_value_as_an_api_token() {
        assertThat(ApiTokenSecret.isApiToken("nfk_x")).isTrue();
        assertThat(ApiTokenSecret.isApiToken("eyJhbGciOi.x.y")).isFalse();
        assertThat(ApiTokenSecret.isApiToken(null)).isFalse();
        assertThat(ApiTokenSecret.wellFormed("nfk_x")).isFalse();
        assertThat(ApiTokenSecret.wellFormed("nfk_" + "!".repeat(43))).isFalse();
    }

    @Test
    void the_stored_hash_is_the_sha256_of_the_secret_in_hex() {
        // sha256sum of the bytes "nfk_abc"
        assertThat(ApiTokenSecret.sha256("nfk_abc"))
                .isEqualTo("6cdc168c034e6eea06f4efb3cd8c2e93baad44db136d4dcb5ba72754f454fd77");
    }
}
