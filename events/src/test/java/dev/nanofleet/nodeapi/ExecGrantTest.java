package dev.nanofleet.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExecGrantTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final KeyPair controlApi = GrantKeys.fromSeed(GrantKeys.newSeed());
    private final UUID instance = UUID.randomUUID();
    private final UUID session = UUID.randomUUID();

    @Test
    void a_signed_grant_opens_exactly_its_session() {
        String token = ExecGrant.of("node-a", instance, session, List.of("sh", "-c", "id"), true, false, NOW)
                .sign(controlApi.getPrivate());
        ExecGrant grant = ExecGrant.verify(token, controlApi.getPublic()).orElseThrow();
        assertThat(grant.sessionId()).isEqualTo(session);
        assertThat(grant.allows("node-a", instance, List.of("sh", "-c", "id"), true, false, NOW)).isTrue();
        assertThat(grant.allows("node-b", instance, List.of("sh", "-c", "id"), true, false, NOW)).isFalse();
        assertThat(grant.allows("node-a", UUID.randomUUID(), List.of("sh", "-c", "id"), true, false, NOW)).isFalse();
        assertThat(grant.allows("node-a", instance, List.of("sh"), true, false, NOW)).isFalse();
        assertThat(grant.allows("node-a", instance, List.of("sh", "-c", "id"), false, false, NOW)).isFalse();
        assertThat(grant.allows("node-a", instance, List.of("sh", "-c", "id"), true, true, NOW)).isFalse();
        assertThat(grant.allows("node-a", instance, List.of("sh", "-c", "id"), true, false, NOW.plusSeconds(60)))
                .isFalse();
    }

    @Test
    void a_grant_signed_with_another_key_or_tampered_with_is_refused() {
        KeyPair other = GrantKeys.fromSeed(GrantKeys.newSeed());
        String token = ExecGrant.of("node-a", instance, session, List.of("id"), false, false, NOW)
                .sign(other.getPrivate());
        assertThat(ExecGrant.verify(token, controlApi.getPublic())).isEmpty();
        String mine = ExecGrant.of("node-a", instance, session, List.of("id"), false, false, NOW)
                .sign(controlApi.getPrivate());
        assertThat(ExecGrant.verify("x" + mine, controlApi.getPublic())).isEmpty();
        assertThat(ExecGrant.verify(null, controlApi.getPublic())).isEmpty();
    }

    @Test
    void its_string_form_names_no_command() {
        assertThat(ExecGrant.of("node-a", instance, session, List.of("echo", "s3cret"), false, false, NOW).toString())
                .doesNotContain("s3cret");
    }
}
