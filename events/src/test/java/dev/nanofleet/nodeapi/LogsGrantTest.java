package dev.nanofleet.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LogsGrantTest {

    private static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");
    private final KeyPair controlApi = GrantKeys.fromSeed(GrantKeys.newSeed());
    private final UUID instance = UUID.randomUUID();

    @Test
    void a_grant_signed_by_control_api_allows_reading_that_instance_on_that_node_only() {
        String token = LogsGrant.readLogs("node-a", instance, NOW).sign(controlApi.getPrivate());

        LogsGrant grant = LogsGrant.verify(token, controlApi.getPublic()).orElseThrow();

        assertThat(grant.allows("node-a", instance, LogsGrant.LOGS_READ, NOW)).isTrue();
        assertThat(grant.allows("node-b", instance, LogsGrant.LOGS_READ, NOW)).isFalse();
        assertThat(grant.allows("node-a", UUID.randomUUID(), LogsGrant.LOGS_READ, NOW)).isFalse();
        assertThat(grant.allows("node-a", instance, "logs.write", NOW)).isFalse();
    }

    @Test
    void a_grant_expires_a_minute_after_it_was_made() {
        LogsGrant grant = LogsGrant.readLogs("node-a", instance, NOW);

        assertThat(grant.allows("node-a", instance, LogsGrant.LOGS_READ, NOW.plusSeconds(59))).isTrue();
        assertThat(grant.allows("node-a", instance, LogsGrant.LOGS_READ, NOW.plusSeconds(66))).isFalse();
    }

    @Test
    void a_grant_that_claims_to_live_longer_than_a_minute_is_refused() {
        LogsGrant forever = new LogsGrant("node-a", instance, LogsGrant.LOGS_READ, NOW.plusSeconds(3600));

        assertThat(forever.allows("node-a", instance, LogsGrant.LOGS_READ, NOW)).isFalse();
    }

    @Test
    void a_token_signed_with_another_key_or_altered_or_malformed_carries_no_grant() {
        KeyPair rogue = GrantKeys.fromSeed(GrantKeys.newSeed());
        String forged = LogsGrant.readLogs("node-a", instance, NOW).sign(rogue.getPrivate());
        String genuine = LogsGrant.readLogs("node-a", instance, NOW).sign(controlApi.getPrivate());
        String otherInstance = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"node\":\"node-a\",\"instanceId\":\"" + UUID.randomUUID()
                        + "\",\"scope\":\"logs.read\",\"expiresAt\":\"2026-12-01T02:01:00Z\"}").getBytes());
        String altered = otherInstance + genuine.substring(genuine.indexOf('.'));

        assertThat(LogsGrant.verify(forged, controlApi.getPublic())).isEmpty();
        assertThat(LogsGrant.verify(altered, controlApi.getPublic())).isEmpty();
        for (String junk : new String[]{null, "", ".", "a.b", "a.b.c", "%%%.###", genuine + "x"}) {
            assertThat(LogsGrant.verify(junk, controlApi.getPublic())).as(junk).isEmpty();
        }
    }

    @Test
    void one_seed_gives_one_key_pair_and_its_public_key_survives_the_registration_answer() {
        String seed = GrantKeys.newSeed();
        KeyPair first = GrantKeys.fromSeed(seed);
        KeyPair second = GrantKeys.fromSeed(seed);
        String token = LogsGrant.readLogs("node-a", instance, NOW).sign(first.getPrivate());

        assertThat(second.getPublic()).isEqualTo(first.getPublic());
        assertThat(LogsGrant.verify(token, GrantKeys.decode(GrantKeys.encode(second.getPublic())))).isPresent();
        assertThat(GrantKeys.fromSeed(GrantKeys.newSeed()).getPublic()).isNotEqualTo(first.getPublic());
    }

    @Test
    void a_signing_key_that_is_not_base64_of_32_bytes_is_refused_with_its_reason() {
        assertThatThrownBy(() -> GrantKeys.fromSeed("not base64!")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> GrantKeys.fromSeed(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> GrantKeys.decode("AAAA")).isInstanceOf(IllegalArgumentException.class);
    }
}
