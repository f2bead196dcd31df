package dev.nanofleet.node.image;

import dev.nanofleet.nodeapi.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the registry said a reference's digest was, remembered for a short while, so that starting an instance of an
 * image the node has cached needs no registry round trip (Kubernetes' {@code IfNotPresent}, with a bound on how long a
 * moved tag goes unnoticed).
 *
 * <p>
 * Each answer is remembered for the reference <em>and the credentials it was asked with</em> (by a hash): a tenant
 * whose credentials (or lack of them) were never accepted for that reference still makes the registry decide, so it
 * never gets another tenant's cached copy of a private image. A reference that names a digest resolves to it as well,
 * but only once the registry answered for it with the same credentials. Thread-safe; entries for references no longer
 * asked for are dropped as they expire.
 */
final class DigestResolutions {

    private record Answer(String digest, Instant at) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    /** @param ttl how long an answer holds; zero: none is remembered */
    DigestResolutions(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The digest the registry gave for {@code reference} with {@code credentials} within the TTL, if any. */
    Optional<String> lookup(String reference, RegistryCredentials credentials) {
        if (ttl.isZero()) {
            return Optional.empty();
        }
        String key = key(reference, credentials);
        Answer answer = answers.get(key);
        if (answer == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(answer.at().plus(ttl))) {
            answers.remove(key, answer);
            return Optional.empty();
        }
        return Optional.of(answer.digest());
    }

    /** Remembers the registry's answer. */
    void remember(String reference, RegistryCredentials credentials, String digest) {
        if (ttl.isZero()) {
            return;
        }
        Instant now = clock.instant();
        answers.values().removeIf(a -> !now.isBefore(a.at().plus(ttl)));
        answers.put(key(reference, credentials), new Answer(digest, now));
    }

    /** Forgets every answer naming {@code digest}: its cached copy is gone. */
    void forgetDigest(String digest) {
        answers.values().removeIf(a -> a.digest().equals(digest));
    }

    private static String key(String reference, RegistryCredentials credentials) {
        if (credentials == null) {
            return reference + "\n";
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest((credentials.username() + "\n" + credentials.password())
                    .getBytes(StandardCharsets.UTF_8));
            return reference + "\n" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
