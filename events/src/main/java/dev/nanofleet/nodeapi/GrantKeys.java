package dev.nanofleet.nodeapi;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * control-api's Ed25519 key for {@link LogsGrant}s. The private key is configured as its 32-byte seed (base64), which
 * is what {@code head -c 32 /dev/urandom | base64} prints; agents learn the public key (X.509, base64) from their
 * registration answer.
 */
public final class GrantKeys {

    public static final int SEED_BYTES = 32;

    private GrantKeys() {
    }

    /** A fresh seed, base64. */
    public static String newSeed() {
        byte[] seed = new byte[SEED_BYTES];
        new SecureRandom().nextBytes(seed);
        return Base64.getEncoder().encodeToString(seed);
    }

    /**
     * The key pair of a seed. The JDK derives an Ed25519 public key only inside its key-pair generator, which draws
     * exactly the 32-byte private key from its random source (RFC 8032 5.1.5): handing it the seed as that source
     * gives the seed's pair. {@code GrantKeysTest} checks the pair signs and verifies and that one seed gives one key.
     *
     * @throws IllegalArgumentException when the text is not base64 of 32 bytes
     */
    public static KeyPair fromSeed(String base64Seed) {
        byte[] seed;
        try {
            seed = Base64.getDecoder().decode(base64Seed.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the logs signing key is not base64", e);
        }
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("the logs signing key must be " + SEED_BYTES + " bytes, not "
                    + seed.length);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** @throws IllegalArgumentException when the text is not a base64 X.509 Ed25519 public key */
    public static PublicKey decode(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** Yields the seed and nothing else; used once, by one key-pair generation. */
    private static final class SeedRandom extends SecureRandom {
        private final byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("Ed25519 key generation asked for " + bytes.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
