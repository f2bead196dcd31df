package dev.nanofleet.edge;

import dev.nanofleet.edge.core.AppsDomain;
import dev.nanofleet.edge.core.CertificateRules;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The certificate the edge serves for {@code *.<apps domain>}, from where {@link EdgeConfig.Tls} says: an operator's
 * certificate file, checked and served as it is; a certificate issued from an operator's CA; or, with nothing set, one
 * from the local platform's CA. A file that does not fit stops the start with a message naming its setting.
 *
 * @param pem the PEM HAProxy serves (certificate, chain, key)
 * @param issuer the CA certificate visitors' clients must trust, when it is one the edge issued from
 */
record EdgeTls(Path pem, Optional<Path> issuer) {

    static final String CERTIFICATE_FILE = "nanofleet.edge.tls.certificate-file";
    static final String CA_CERTIFICATE_FILE = "nanofleet.edge.tls.ca-certificate-file";
    static final String CA_KEY_FILE = "nanofleet.edge.tls.ca-key-file";
    private static final Pattern PEM_CERTIFICATE = Pattern
            .compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----");

    static EdgeTls prepare(EdgeConfig.Tls tls, Path dataDir, AppsDomain domain, Instant now)
            throws IOException, InterruptedException {
        boolean caGiven = tls.caCertificateFile().isPresent() || tls.caKeyFile().isPresent();
        if (tls.certificateFile().isPresent() && caGiven) {
            throw new IllegalStateException("set " + CERTIFICATE_FILE + " or " + CA_CERTIFICATE_FILE + " with "
                    + CA_KEY_FILE + ", not both");
        }
        if (tls.certificateFile().isPresent()) {
            Path file = tls.certificateFile().get();
            List<X509Certificate> chain = certificates(file, CERTIFICATE_FILE);
            fail(CERTIFICATE_FILE, file, CertificateRules.servedProblem(chain, domain, now));
            Files.createDirectories(dataDir);
            Openssl openssl = new Openssl(dataDir.resolve("openssl.log"));
            String certified = openssl.output("x509", "-in", file.toString(), "-noout", "-pubkey");
            String held;
            try {
                held = openssl.output("pkey", "-in", file.toString(), "-pubout");
            } catch (IOException e) {
                throw new IllegalStateException(CERTIFICATE_FILE + " (" + file + ") holds no private key after its"
                        + " certificates", e);
            }
            if (!certified.equals(held)) {
                throw new IllegalStateException(CERTIFICATE_FILE + " (" + file + "): its key is not the first"
                        + " certificate's");
            }
            return new EdgeTls(file, Optional.empty());
        }
        if (caGiven) {
            Path certificate = tls.caCertificateFile().orElseThrow(
                    () -> new IllegalStateException(CA_KEY_FILE + " is set without " + CA_CERTIFICATE_FILE));
            Path key = tls.caKeyFile().orElseThrow(
                    () -> new IllegalStateException(CA_CERTIFICATE_FILE + " is set without " + CA_KEY_FILE));
            List<X509Certificate> ca = certificates(certificate, CA_CERTIFICATE_FILE);
            fail(CA_CERTIFICATE_FILE, certificate, CertificateRules.issuerProblem(ca.getFirst(), now));
            if (!Files.isReadable(key)) {
                throw new IllegalStateException(CA_KEY_FILE + " (" + key + ") cannot be read");
            }
            EdgeCa issuer = EdgeCa.operators(dataDir, certificate, key);
            return new EdgeTls(issued(issuer, domain, CA_KEY_FILE + " (" + key + ")"), Optional.of(certificate));
        }
        EdgeCa local = EdgeCa.local(dataDir);
        return new EdgeTls(issued(local, domain, "the local CA"), Optional.of(local.certificate()));
    }

    private static Path issued(EdgeCa ca, AppsDomain domain, String what) throws IOException, InterruptedException {
        try {
            return ca.serverPem(domain.domain());
        } catch (IOException e) {
            // openssl refuses a key that is not the CA certificate's, or one it cannot read
            throw new IllegalStateException("no certificate for " + domain.wildcard() + " could be issued with " + what
                    + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file, String setting) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException(setting + " (" + file + ") cannot be read");
        }
        List<X509Certificate> chain = new ArrayList<>();
        Matcher pem = PEM_CERTIFICATE.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            while (pem.find()) {
                chain.add((X509Certificate) x509.generateCertificate(
                        new ByteArrayInputStream(pem.group().getBytes(StandardCharsets.US_ASCII))));
            }
        } catch (CertificateException e) {
            throw new IllegalStateException(setting + " (" + file + ") holds a certificate that cannot be read: "
                    + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalStateException(setting + " (" + file + ") holds no PEM certificate");
        }
        return chain;
    }

    private static void fail(String setting, Path file, Optional<String> problem) {
        problem.ifPresent(why -> {
            throw new IllegalStateException(setting + " (" + file + ") " + why);
        });
    }
}
