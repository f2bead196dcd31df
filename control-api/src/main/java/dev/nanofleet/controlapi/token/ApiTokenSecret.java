package dev.nanofleet.controlapi.token;

import dev.nanofleet.controlapi.security.Sha256;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * An API token's secret: {@code nfk_} and 256 random bits in base64url. The prefix lets secret scanners (and people)
 * recognise a leaked Nanofleet token; only its SHA-256 is stored, which is enough for 256 random bits: nobody can guess
 * a preimage, so a slow password hash would only slow every request down.
 */
public final class ApiTokenSecret {

    public static final String PREFIX = "nfk_";
    private static final Pattern SHAPE = Pattern.compile("nfk_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiTokenSecret() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A bearer value meant as an API token (by its prefix), whether or not it is well formed. */
    public static boolean isApiToken(String bearer) {
        return bearer != null && bearer.startsWith(PREFIX);
    }

    public static boolean wellFormed(String secret) {
        return secret != null && SHAPE.matcher(secret).matches();
    }

    public static String sha256(String secret) {
        return Sha256.hex(secret);
    }
}
