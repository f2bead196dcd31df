package dev.nanofleet.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.edge.core.Certificates;
import dev.nanofleet.edge.core.CustomDomain;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Custom domains' certificates as HAProxy loads them: {@code <dir>/<hostname>-<sha256>.pem} (chain, then key; mode
 * 600), read from control-api's {@code GET /v1/edge/certificates/{hostname}} the first time a fingerprint is seen and
 * kept across restarts. What control-api sends must be the certificate the routes named (its SHA-256), or it is not
 * written.
 */
final class ControlApiCertificates implements Certificates {

    private static final Logger LOG = Logger.getLogger(ControlApiCertificates.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9.-]{1,253}");

    record Fetched(String hostname, String certificateSha256, String certificate, String privateKey) {
    }

    private final ControlApiClient controlApi;
    private final ObjectMapper json;
    private final Path dir;

    ControlApiCertificates(ControlApiClient controlApi, ObjectMapper json, Path dir) {
        this.controlApi = controlApi;
        this.json = json;
        this.dir = dir;
    }

    @Override
    public Path file(CustomDomain domain) throws IOException, InterruptedException {
        // both go into a file name and HAProxy's crt-list: nothing but what a hostname and a hex digest may hold
        if (!HOSTNAME.matcher(domain.hostname()).matches() || !SHA256.matcher(domain.certificateSha256()).matches()) {
            throw new IOException("not a hostname and certificate fingerprint: " + domain);
        }
        Path file = dir.resolve(domain.hostname() + "-" + domain.certificateSha256() + ".pem");
        if (Files.exists(file)) {
            return file;
        }
        Fetched fetched = json.readValue(controlApi.get("/v1/edge/certificates/"
                + URLEncoder.encode(domain.hostname(), StandardCharsets.UTF_8)), Fetched.class);
        if (fetched.certificate() == null || fetched.privateKey() == null
                || !domain.certificateSha256().equals(sha256(fetched.certificate()))) {
            throw new IOException("control-api's certificate for " + domain.hostname()
                    + " is not the one its routes name (a renewal in flight?)");
        }
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, ".cert-", ".tmp");
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(partial, fetched.certificate().strip() + "\n" + fetched.privateKey().strip() + "\n");
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.infof("certificate of %s (%s) loaded", domain.hostname(), domain.certificateSha256().substring(0, 12));
        return file;
    }

    @Override
    public void retain(Collection<Path> inUse) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Set<Path> keep = new HashSet<>(inUse);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pem")).toList()) {
                if (!keep.contains(file)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The SHA-256 of the first certificate's DER, as control-api names it. */
    static String sha256(String pem) {
        try {
            var certificate = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return Sha256.hex(certificate.getEncoded());
        } catch (GeneralSecurityException | RuntimeException e) {
            return "";
        }
    }
}
