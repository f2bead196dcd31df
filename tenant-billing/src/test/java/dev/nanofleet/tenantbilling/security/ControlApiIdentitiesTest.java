package dev.nanofleet.tenantbilling.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.tenantbilling.fakes.FakeControlApi;
import io.quarkus.security.AuthenticationFailedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlApiIdentitiesTest {

    static final String TOKEN = "nfk_unit-test-token-jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj";

    private final FakeControlApi controlApi = FakeControlApi.start();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-02-10T12:00:00Z"));
    private final InstantSource clock = now::get;

    @AfterEach
    void stop() {
        controlApi.close();
    }

    private ControlApiIdentities identities(String url, int cacheSize) {
        return new ControlApiIdentities(url, Duration.ofSeconds(5), Duration.ofSeconds(30), cacheSize,
                new ObjectMapper().findAndRegisterModules(), clock);
    }

    @Test
    void a_token_is_described_as_control_api_says_and_asked_again_only_after_30_seconds() {
        controlApi.tenantToken(TOKEN, "acme", "read", "admin", "future-scope");
        ControlApiIdentities identities = identities(controlApi.url() + "/", 100);

        ApiTokenIdentity identity = identities.identify(TOKEN);
        assertThat(identity.tenant()).isEqualTo("acme");
        assertThat(identity.operator()).isFalse();
        assertThat(identity.scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.ADMIN);
        assertThat(identity.getName()).startsWith("token:");
        assertThat(identity.toString()).doesNotContain(TOKEN);

        now.set(now.get().plusSeconds(29));
        identities.identify(TOKEN);
        assertThat(controlApi.calls(TOKEN)).isEqualTo(1);
        now.set(now.get().plusSeconds(1));
        identities.identify(TOKEN);
        assertThat(controlApi.calls(TOKEN)).isEqualTo(2);
    }

    @Test
    void a_token_that_expires_sooner_than_the_cache_is_asked_about_again_at_its_expiry() {
        controlApi.answer(TOKEN, "{\"subject\":\"token:1\",\"kind\":\"token\",\"tenant\":\"acme\",\"operator\":false,"
                + "\"scopes\":[\"read\"],\"expiresAt\":\"2026-02-10T12:00:10Z\",\"tokenId\":null}");
        ControlApiIdentities identities = identities(controlApi.url(), 100);

        identities.identify(TOKEN);
        now.set(Instant.parse("2026-02-10T12:00:10Z"));
        identities.identify(TOKEN);

        assertThat(controlApi.calls(TOKEN)).isEqualTo(2);
    }

    @Test
    void a_refusal_is_cached_too_and_keeps_control_apis_reason() {
        controlApi.revoke(TOKEN);
        ControlApiIdentities identities = identities(controlApi.url(), 100);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> identities.identify(TOKEN)).isInstanceOfSatisfying(
                    AuthenticationFailedException.class,
                    e -> assertThat(ApiTokenFailures.rejection(e)).hasValue("the API token is revoked"));
        }
        assertThat(controlApi.calls(TOKEN)).isEqualTo(1);
    }

    @Test
    void an_error_answer_or_an_unreadable_one_makes_the_check_unavailable_and_is_not_cached() {
        controlApi.failFor(TOKEN);
        ControlApiIdentities identities = identities(controlApi.url(), 100);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> identities.identify(TOKEN)).isInstanceOfSatisfying(
                    AuthenticationFailedException.class,
                    e -> assertThat(ApiTokenFailures.unavailability(e)).isPresent());
        }
        assertThat(controlApi.calls(TOKEN)).isEqualTo(2);

        String other = TOKEN + "x";
        controlApi.answer(other, "{\"kind\":\"token\"}");
        assertThatThrownBy(() -> identities.identify(other)).isInstanceOfSatisfying(
                AuthenticationFailedException.class, e -> assertThat(ApiTokenFailures.unavailability(e)).isPresent());
    }

    @Test
    void a_control_api_nothing_listens_for_makes_the_check_unavailable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ControlApiIdentities identities = identities("http://127.0.0.1:" + port, 100);

        assertThatThrownBy(() -> identities.identify(TOKEN)).isInstanceOfSatisfying(
                AuthenticationFailedException.class,
                e -> assertThat(ApiTokenFailures.unavailability(e)).hasValueSatisfying(
                        detail -> assertThat(detail).contains("cannot be reached").doesNotContain(TOKEN)));
    }

    @Test
    void a_full_cache_makes_room_instead_of_growing() {
        ControlApiIdentities identities = identities(controlApi.url(), 2);
        for (int i = 0; i < 3; i++) {
            controlApi.tenantToken(TOKEN + i, "acme", "read");
            identities.identify(TOKEN + i);
        }
        identities.identify(TOKEN + 2);
        assertThat(controlApi.calls(TOKEN + 2)).isEqualTo(1);
        identities.identify(TOKEN + 0);
        assertThat(controlApi.calls(TOKEN + 0)).as("dropped when the cache was full").isEqualTo(2);
    }

    @Test
    void only_bearer_values_with_the_nfk_prefix_are_api_tokens() {
        assertThat(ApiTokenBearer.from("Bearer " + TOKEN)).hasValue(TOKEN);
        assertThat(ApiTokenBearer.from("bearer   " + TOKEN)).hasValue(TOKEN);
        assertThat(ApiTokenBearer.from("Bearer eyJhbGciOi.x.y")).isEmpty();
        assertThat(ApiTokenBearer.from("Basic " + TOKEN)).isEmpty();
        assertThat(ApiTokenBearer.from("Bearer ")).isEmpty();
        assertThat(ApiTokenBearer.from(null)).isEmpty();
    }
}
