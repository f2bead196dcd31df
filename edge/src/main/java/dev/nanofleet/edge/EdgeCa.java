package dev.nanofleet.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The CA that signs the edge's certificate for {@code *.<apps domain>}, with Debian's {@code openssl}: the local
 * platform's own, made once under {@code <data>/ca/} (its root {@code ca.crt} is what people and tests trust), or an
 * operator's CA given as two files, which the edge reads and never changes. The certificate it issues is kept under
 * {@code <data>/ca/}, named by the domain and the CA's fingerprint, so a new domain or CA gets a new one; it is issued
 * again at start when it has less than {@link #RENEW_BEFORE} left. Keys stay in files of mode 600.
 */
final class EdgeCa {

    static final String ROOT_CERTIFICATE = "ca.crt";
    /** Issued certificates live 825 days, the most browsers accepted of a private CA; renewed a month before. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final String VALIDITY_DAYS = "825";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Path certificate;
    private final Path key;
    private final boolean madeHere;
    private final Openssl openssl;

    private EdgeCa(Path dataDir, Path certificate, Path key, boolean madeHere) {
        this.dir = dataDir.resolve("ca");
        this.certificate = certificate;
        this.key = key;
        this.madeHere = madeHere;
        this.openssl = new Openssl(dir.resolve("openssl.log"));
    }

    /** The local platform's CA, made on first use under {@code <data>/ca/}. */
    static EdgeCa local(Path dataDir) {
        Path dir = dataDir.resolve("ca");
        return new EdgeCa(dataDir, dir.resolve(ROOT_CERTIFICATE), dir.resolve("ca.key"), true);
    }

    /** An operator's CA: its certificate and key files, used as they are. */
    static EdgeCa operators(Path dataDir, Path certificate, Path key) {
        return new EdgeCa(dataDir, certificate, key, false);
    }

    /** The CA's certificate: the root of the local CA, or the operator's CA certificate. */
    Path certificate() {
        return certificate;
    }

    /** The PEM (certificate, the CA's certificate, then key) HAProxy serves for {@code *.domain}; issued when needed. */
    Path serverPem(String domain) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        if (madeHere && (!Files.exists(key) || !Files.exists(certificate))) {
            openssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                    certificate.toString(), "-days", "3650", "-subj", "/CN=Nanofleet local CA", "-addext",
                    "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            restrict(key);
        }
        String name = "edge-" + domain + "-" + fingerprint(certificate);
        Path pem = dir.resolve(name + ".pem");
        if (Files.exists(pem) && openssl.succeeds("x509", "-noout", "-in", pem.toString(), "-checkend",
                Long.toString(RENEW_BEFORE.toSeconds()))) {
            return pem;
        }
        Path serverKey = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "subjectAltName=DNS:*." + domain + ",DNS:" + domain + "\nbasicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        openssl.run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", serverKey.toString(), "-out", csr.toString(),
                "-subj", "/CN=*." + domain);
        // a serial of its own each time, so nothing has to be written beside an operator's CA files
        openssl.run("x509", "-req", "-in", csr.toString(), "-CA", certificate.toString(), "-CAkey", key.toString(),
                "-set_serial", "0x" + serial(), "-out",
                cert.toString(), "-days", VALIDITY_DAYS, "-extfile", ext.toString());
        Path partial = dir.resolve(pem.getFileName() + ".tmp");
        // the CA's certificate rides along: clients of an operator's intermediate CA need it to build the chain
        Files.writeString(partial,
                Files.readString(cert) + Files.readString(certificate) + Files.readString(serverKey));
        restrict(partial);
        Files.move(partial, pem, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(serverKey);
        Files.deleteIfExists(csr);
        return pem;
    }

    private static String serial() {
        byte[] serial = new byte[16];
        RANDOM.nextBytes(serial);
        serial[0] &= 0x7f; // positive, as RFC 5280 wants
        return HexFormat.of().formatHex(serial);
    }

    /** The first 16 hex digits of the SHA-256 of the CA's certificate file. */
    private static String fingerprint(Path file) throws IOException {
        return Sha256.hex(Files.readAllBytes(file)).substring(0, 16);
    }

    static void restrict(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
