package dev.nanofleet.node.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.node.testing.MovableClock;
import dev.nanofleet.nodeapi.RegistryCredentials;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DigestResolutionsTest {

    private static final String REF = "registry.test/acme/app:1";
    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final RegistryCredentials ACME = new RegistryCredentials("acme", "s3cret");

    private final MovableClock clock = new MovableClock();
    private final DigestResolutions resolutions = new DigestResolutions(clock, Duration.ofSeconds(15));

    @Test
    void an_answer_holds_for_its_ttl_and_no_longer() {
        resolutions.remember(REF, null, DIGEST);

        clock.advance(Duration.ofSeconds(14));
        assertThat(resolutions.lookup(REF, null)).contains(DIGEST);
        clock.advance(Duration.ofSeconds(1));
        assertThat(resolutions.lookup(REF, null)).isEmpty();
    }

    @Test
    void an_answer_given_with_credentials_is_not_one_for_other_credentials_or_none() {
        resolutions.remember(REF, ACME, DIGEST);

        assertThat(resolutions.lookup(REF, ACME)).contains(DIGEST);
        assertThat(resolutions.lookup(REF, null)).isEmpty();
        assertThat(resolutions.lookup(REF, new RegistryCredentials("acme", "guess"))).isEmpty();
        assertThat(resolutions.lookup(REF, new RegistryCredentials("other", "s3cret"))).isEmpty();
    }

    @Test
    void a_public_answer_is_not_one_for_a_tenant_with_credentials_either() {
        resolutions.remember(REF, null, DIGEST);

        assertThat(resolutions.lookup(REF, ACME)).isEmpty();
        assertThat(resolutions.lookup("registry.test/acme/app:2", null)).isEmpty();
    }

    @Test
    void a_removed_image_is_asked_for_again() {
        resolutions.remember(REF, null, DIGEST);

        resolutions.forgetDigest(DIGEST);

        assertThat(resolutions.lookup(REF, null)).isEmpty();
    }

    @Test
    void a_zero_ttl_remembers_nothing() {
        DigestResolutions never = new DigestResolutions(clock, Duration.ZERO);

        never.remember(REF, null, DIGEST);

        assertThat(never.lookup(REF, null)).isEmpty();
    }
}
