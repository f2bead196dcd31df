package dev.nanofleet.controlapi.domain;

import dev.nanofleet.controlapi.problem.FieldError;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a custom domain must be before the edge serves it: a DNS name the tenant may claim (not the platform's own apps
 * domain), a certificate chain whose first certificate names it and is valid now, and the private key of that
 * certificate. Pure and thread-safe; {@link #check} answers every invalid field at once.
 *
 * <p>
 * Keys are accepted as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}),
 * what {@code openssl} and certificate tools write; an encrypted key is refused, since the edge must read it unattended.
 */
public final class CustomDomainRules {

    /** Bounds what one domain stores and the edge loads: a leaf and a few intermediates. */
    public static final int MAX_PEM_CHARS = 64 * 1024;
    public static final int MAX_CERTIFICATES = 8;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    /** PKCS#8's wrapping of a PKCS#1 RSA key: version 0, algorithm rsaEncryption with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("020100300d06092a864886f70d0101010500");

    private CustomDomainRules() {
    }

    /** A request that passed: its hostname in lower case, the parsed chain and key, and the chain's fingerprint. */
    public record Checked(String hostname, String certificatePem, String privateKeyPem, X509Certificate leaf,
            String certificateSha256) {
    }

    /**
     * @param appsDomain the platform's domain (deployments answer at {@code <name>-<tenant>.<appsDomain>}), which no
     *        tenant may claim a name in
     * @return the checked domain, or the invalid fields
     */
    public static Result check(String hostname, String certificatePem, String privateKeyPem, String appsDomain,
            Instant now) {
        List<FieldError> errors = new ArrayList<>();
        Optional<String> hostProblem = hostname(hostname, appsDomain);
        hostProblem.ifPresent(problem -> errors.add(new FieldError("hostname", problem)));
        String host = hostProblem.isEmpty() ? hostname.toLowerCase(Locale.ROOT) : null;
        List<X509Certificate> chain = List.of();
        if (certificatePem == null || certificatePem.isBlank()) {
            errors.add(new FieldError("certificate", "is required: the PEM certificate chain, the domain's first"));
        } else if (certificatePem.length() > MAX_PEM_CHARS) {
            errors.add(new FieldError("certificate", "is longer than " + MAX_PEM_CHARS + " characters"));
        } else {
            try {
                chain = certificates(certificatePem);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("certificate", e.getMessage()));
            }
        }
        PrivateKey key = null;
        if (privateKeyPem == null || privateKeyPem.isBlank()) {
            errors.add(new FieldError("privateKey", "is required: the certificate's private key, PEM"));
        } else if (privateKeyPem.length() > MAX_PEM_CHARS) {
            errors.add(new FieldError("privateKey", "is longer than " + MAX_PEM_CHARS + " characters"));
        } else {
            try {
                key = privateKey(privateKeyPem);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("privateKey", e.getMessage()));
            }
        }
        X509Certificate leaf = chain.isEmpty() ? null : chain.getFirst();
        if (leaf != null) {
            if (now.isAfter(leaf.getNotAfter().toInstant())) {
                errors.add(new FieldError("certificate", "expired at " + leaf.getNotAfter().toInstant()));
            } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
                errors.add(new FieldError("certificate", "is not valid before " + leaf.getNotBefore().toInstant()));
            }
            if (host != null && !covers(dnsNames(leaf), host)) {
                errors.add(new FieldError("certificate", "does not name " + host + " (its DNS names: "
                        + String.join(", ", dnsNames(leaf)) + ")"));
            }
            if (key != null && !matches(key, leaf.getPublicKey())) {
                errors.add(new FieldError("privateKey", "is not the key of the certificate"));
            }
        }
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(new Checked(host, certificatePem.strip() + "\n", privateKeyPem.strip() + "\n", leaf,
                sha256(leaf)), List.of());
    }

    /** Either a checked domain or the fields that are wrong. */
    public record Result(Checked checked, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** Why {@code hostname} cannot be claimed, or empty when it can. */
    static Optional<String> hostname(String hostname, String appsDomain) {
        if (hostname == null || hostname.isBlank()) {
            return Optional.of("is required, e.g. www.example.com");
        }
        String host = hostname.toLowerCase(Locale.ROOT);
        if (host.length() > 253) {
            return Optional.of("is longer than 253 characters");
        }
        if (host.startsWith("*.")) {
            return Optional.of("must name one host: wildcard domains are not supported");
        }
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.of("must be a fully qualified name such as www.example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of("has an invalid label '" + label
                        + "': 1-63 letters, digits and inner dashes");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return Optional.of("must be a DNS name, not an IP address");
        }
        String apps = appsDomain.toLowerCase(Locale.ROOT);
        if (host.equals(apps) || host.endsWith("." + apps)) {
            return Optional.of("is in the platform's domain " + apps
                    + ", whose names the platform gives: choose a domain of your own");
        }
        return Optional.empty();
    }

    static List<X509Certificate> certificates(String pem) {
        List<byte[]> blocks = blocks(pem, "CERTIFICATE");
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        if (blocks.size() > MAX_CERTIFICATES) {
            throw new IllegalArgumentException("holds more than " + MAX_CERTIFICATES + " certificates");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new ArrayList<>();
            for (byte[] der : blocks) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
            return chain;
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("is not a readable X.509 certificate chain");
        }
    }

    static PrivateKey privateKey(String pem) {
        if (pem.contains("ENCRYPTED")) {
            throw new IllegalArgumentException("is encrypted: the edge needs it unencrypted (openssl pkey -in KEY)");
        }
        List<byte[]> pkcs8 = blocks(pem, "PRIVATE KEY");
        List<byte[]> pkcs1 = blocks(pem, "RSA PRIVATE KEY");
        if (pkcs8.size() + pkcs1.size() != 1) {
            throw new IllegalArgumentException("must hold exactly one PEM private key (BEGIN PRIVATE KEY or BEGIN RSA"
                    + " PRIVATE KEY); convert others with openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = pkcs8.isEmpty() ? wrapRsa(pkcs1.getFirst()) : pkcs8.getFirst();
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("is not a readable RSA, EC or Ed25519 private key");
    }

    /** The certificate's DNS subject alternative names (what clients check; the common name is not used). */
    static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    if (name.size() == 2 && Integer.valueOf(2).equals(name.get(0)) && name.get(1) instanceof String s) {
                        names.add(s.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no readable names: the certificate names nothing
        }
        return names;
    }

    /** RFC 6125: an exact name, or {@code *.parent} for exactly one label more. */
    static boolean covers(List<String> names, String host) {
        for (String name : names) {
            if (name.equals(host)) {
                return true;
            }
            if (name.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot + 1).equals(name.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code key} signs what {@code publicKey} verifies: the only test that works for every key type. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The SHA-256 of the leaf certificate's DER, hex: names the certificate without showing it. */
    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<byte[]> blocks(String pem, String type) {
        List<byte[]> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                try {
                    blocks.add(Base64.getMimeDecoder().decode(m.group(2).getBytes(StandardCharsets.US_ASCII)));
                } catch (IllegalArgumentException e) {
                    blocks.add(new byte[0]);
                }
            }
        }
        return blocks;
    }

    /** PKCS#1 RSAPrivateKey DER inside a PKCS#8 PrivateKeyInfo: SEQUENCE { version, algorithm, OCTET STRING }. */
    private static byte[] wrapRsa(byte[] pkcs1) {
        byte[] octets = concat(new byte[]{0x04}, length(pkcs1.length), pkcs1);
        byte[] body = concat(RSA_ALGORITHM, octets);
        return concat(new byte[]{0x30}, length(body.length), body);
    }

    private static byte[] length(int n) {
        if (n < 0x80) {
            return new byte[]{(byte) n};
        }
        byte[] digits = BigInteger.valueOf(n).toByteArray();
        int skip = digits[0] == 0 ? 1 : 0;
        byte[] out = new byte[digits.length - skip + 1];
        out[0] = (byte) (0x80 | (digits.length - skip));
        System.arraycopy(digits, skip, out, 1, digits.length - skip);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
