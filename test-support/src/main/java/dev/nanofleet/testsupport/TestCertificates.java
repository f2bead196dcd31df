package dev.nanofleet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Certificates and keys for tests of custom domains, made once with {@code openssl} and kept as resources
 * ({@code dev/nanofleet/testsupport/tls/}); they protect nothing. The CA and the {@code shop} and {@code ec} certificates
 * are valid until 2126; {@code old} expired in 2021.
 */
public enum TestCertificates {
    /** The test CA that signed {@link #SHOP} and {@link #OLD}. */
    CA("ca"),
    /** RSA, names {@code shop.example.test} and {@code *.shop.example.test}; also a PKCS#1 key. */
    SHOP("shop"),
    /** A self-signed P-256 certificate for {@code ec.example.test}. */
    EC("ec"),
    /** Names {@code old.example.test}; valid in 2020 only. */
    OLD("old"),
    /** A key of no certificate here. */
    OTHER("other");

    private final String name;

    TestCertificates(String name) {
        this.name = name;
    }

    /** The certificate, PEM. */
    public String certificate() {
        return read(name + ".crt");
    }

    /** The private key, PEM (PKCS#8). */
    public String privateKey() {
        return read(name + ".key");
    }

    /** The private key as {@code BEGIN RSA PRIVATE KEY} (PKCS#1); only {@link #SHOP} has one. */
    public String pkcs1PrivateKey() {
        return read(name + "-pkcs1.key");
    }

    private static String read(String file) {
        try (InputStream in = TestCertificates.class.getResourceAsStream("tls/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no test certificate file " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
