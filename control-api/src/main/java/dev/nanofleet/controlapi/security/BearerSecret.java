package dev.nanofleet.controlapi.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The secrets control-api makes and recognises: a prefix naming the kind and 256 random bits in base64url. The prefix
 * lets secret scanners (and people) recognise a leaked Nanofleet secret and tells the authentication mechanism which
 * store checks it; only its SHA-256 is stored, which is enough for 256 random bits: nobody can guess a preimage, so a
 * slow password hash would only slow every request down.
 */
public enum BearerSecret {
    /** An API token for automation ({@code /v1/tokens}). */
    API_TOKEN("nfk_", "API token"),
    /** A node's own credential, issued at enrollment: the bearer of the node API. */
    NODE_CREDENTIAL("nfn_", "node credential"),
    /** A join token an operator made: traded once per use for a node credential, never a bearer. */
    JOIN_TOKEN("nfj_", "join token");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final String title;
    private final Pattern shape;

    BearerSecret(String prefix, String title) {
        this.prefix = prefix;
        this.title = title;
        this.shape = Pattern.compile(Pattern.quote(prefix) + "[A-Za-z0-9_-]{43}");
    }

    public String prefix() {
        return prefix;
    }

    /** In words, for messages: "API token". */
    public String title() {
        return title;
    }

    public String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A value meant as this kind of secret (by its prefix), whether or not it is well formed. */
    public boolean marks(String value) {
        return value != null && value.startsWith(prefix);
    }

    public boolean wellFormed(String secret) {
        return secret != null && shape.matcher(secret).matches();
    }

    /** Why a value with this prefix is not well formed, for the 401 problem. */
    public String malformed() {
        return "the " + title + " is malformed: " + prefix + " and 43 base64url characters expected";
    }

    public static String sha256(String secret) {
        return Sha256.hex(secret);
    }
}
