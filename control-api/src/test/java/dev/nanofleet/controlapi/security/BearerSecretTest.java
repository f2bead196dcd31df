package dev.nanofleet.controlapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BearerSecretTest {

    @ParameterizedTest
    @EnumSource(BearerSecret.class)
    void secrets_carry_their_prefix_are_well_formed_and_do_not_repeat(BearerSecret kind) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = kind.generate();
            assertThat(secret).startsWith(kind.prefix()).hasSize(47);
            assertThat(kind.wellFormed(secret)).isTrue();
            assertThat(seen.add(secret)).isTrue();
        }
    }

    @Test
    void only_the_prefix_marks_a_value_as_a_kind_of_secret() {
        assertThat(BearerSecret.API_TOKEN.marks("nfk_x")).isTrue();
        assertThat(BearerSecret.API_TOKEN.marks("eyJhbGciOi.x.y")).isFalse();
        assertThat(BearerSecret.API_TOKEN.marks(null)).isFalse();
        assertThat(BearerSecret.NODE_CREDENTIAL.marks("nfk_x")).isFalse();
        assertThat(BearerSecret.NODE_CREDENTIAL.marks("nfn_x")).isTrue();
        assertThat(BearerSecret.API_TOKEN.wellFormed("nfk_x")).isFalse();
        assertThat(BearerSecret.API_TOKEN.wellFormed("nfk_" + "!".repeat(43))).isFalse();
        assertThat(BearerSecret.NODE_CREDENTIAL.wellFormed(BearerSecret.API_TOKEN.generate())).isFalse();
    }

    @Test
    void the_stored_hash_is_the_sha256_of_the_secret_in_hex() {
        // sha256sum of the bytes "nfk_abc"
        assertThat(BearerSecret.sha256("nfk_abc"))
                .isEqualTo("6cdc168c034e6eea06f4efb3cd8c2e93baad44db136d4dcb5ba72754f454fd77");
    }
}
