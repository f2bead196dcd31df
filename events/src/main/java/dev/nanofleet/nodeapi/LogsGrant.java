package dev.nanofleet.nodeapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.events.EventCodec;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * What control-api hands a node agent to read one instance's output: valid for one node, one instance and one scope,
 * for {@link #LIFETIME}, signed with control-api's Ed25519 key (see {@link GrantKeys}). A node that captures it can
 * replay it neither against another agent nor for another instance, and not for long.
 *
 * <p>
 * Wire form: {@code base64url(JSON of this record) "." base64url(Ed25519 signature of those JSON bytes)}, sent as
 * {@code Authorization: Bearer <grant>}.
 */
public record LogsGrant(String node, UUID instanceId, String scope, Instant expiresAt) {

    public static final String LOGS_READ = "logs.read";
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    /** Clocks of control-api and nodes may disagree by this much. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = EventCodec.mapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** A grant to read one instance's logs on one node, from {@code now} for {@link #LIFETIME}. */
    public static LogsGrant readLogs(String node, UUID instanceId, Instant now) {
        return new LogsGrant(node, instanceId, LOGS_READ, now.plus(LIFETIME));
    }

    public String sign(PrivateKey key) {
        try {
            byte[] payload = JSON.writeValueAsBytes(this);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(payload);
            return B64.encodeToString(payload) + "." + B64.encodeToString(signer.sign());
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a logs grant", e);
        }
    }

    /**
     * The grant a token carries if its signature is control-api's; empty for anything else (malformed, forged, signed
     * with another key). Whether it allows a request is {@link #allows}'s question.
     */
    public static Optional<LogsGrant> verify(String token, PublicKey key) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        try {
            byte[] payload = B64D.decode(token.substring(0, dot));
            byte[] signature = B64D.decode(token.substring(dot + 1));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(payload);
            if (!verifier.verify(signature)) {
                return Optional.empty();
            }
            LogsGrant grant = JSON.readValue(payload, LogsGrant.class);
            return grant.node() == null || grant.instanceId() == null || grant.scope() == null
                    || grant.expiresAt() == null ? Optional.empty() : Optional.of(grant);
        } catch (IllegalArgumentException | GeneralSecurityException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether this grant lets its bearer do {@code scope} on {@code instanceId} at {@code node} at {@code now}. A grant
     * that claims to live longer than {@link #LIFETIME} is refused too, so a leaked signing bug cannot mint long ones.
     */
    public boolean allows(String node, UUID instanceId, String scope, Instant now) {
        return this.node.equals(node) && this.instanceId.equals(instanceId) && this.scope.equals(scope)
                && now.isBefore(expiresAt.plus(CLOCK_SKEW))
                && !expiresAt.isAfter(now.plus(LIFETIME).plus(CLOCK_SKEW));
    }

    @Override
    public String toString() {
        // no signature here: a grant's string form may be logged
        return "LogsGrant[node=" + node + ", instance=" + instanceId + ", scope=" + scope + ", expires=" + expiresAt
                + "]";
    }
}
