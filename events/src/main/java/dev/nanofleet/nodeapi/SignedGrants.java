package dev.nanofleet.nodeapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.events.EventCodec;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;

/**
 * The wire form every grant control-api hands a node agent shares ({@link LogsGrant}, {@link ExecGrant}):
 * {@code base64url(JSON) "." base64url(Ed25519 signature of the JSON)}.
 */
final class SignedGrants {

    private static final ObjectMapper JSON = EventCodec.mapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private SignedGrants() {
    }

    static String sign(Object grant, PrivateKey key) {
        try {
            byte[] payload = JSON.writeValueAsBytes(grant);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(payload);
            return B64.encodeToString(payload) + "." + B64.encodeToString(signer.sign());
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign " + grant.getClass().getSimpleName(), e);
        }
    }

    /** The grant a token carries if its signature is {@code key}'s; empty for anything else (malformed, forged). */
    static <T> Optional<T> verify(String token, PublicKey key, Class<T> type) {
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
            return verifier.verify(signature) ? Optional.of(JSON.readValue(payload, type)) : Optional.empty();
        } catch (IllegalArgumentException | GeneralSecurityException | java.io.IOException e) {
            return Optional.empty();
        }
    }
}
