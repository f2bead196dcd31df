package dev.nanofleet.controlapi.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private final SecretBox box = new SecretBox(KEY);

    @Test
    void a_sealed_secret_opens_for_its_owner_only_and_hides_the_plaintext() {
        String sealed = box.seal("pull-s3cret", "deployment-1");

        assertThat(sealed).startsWith("v1:").doesNotContain("pull-s3cret");
        assertThat(box.open(sealed, "deployment-1")).isEqualTo("pull-s3cret");
        assertThat(box.seal("pull-s3cret", "deployment-1")).isNotEqualTo(sealed);
        assertThatThrownBy(() -> box.open(sealed, "deployment-2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_tampered_value_or_another_key_does_not_open() {
        String sealed = box.seal("pull-s3cret", "d");
        char last = sealed.charAt(sealed.length() - 2);
        String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A')
                + sealed.charAt(sealed.length() - 1);
        byte[] other = new byte[32];
        other[0] = 1;

        assertThatThrownBy(() -> box.open(tampered, "d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretBox(Base64.getEncoder().encodeToString(other)).open(sealed, "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretBox(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
    }
}
