package dev.nanofleet.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local platform's certificate authority, made once with Debian's {@code openssl} under {@code <data>/ca/}: its
 * root ({@code ca.crt}, what people and tests trust) signs the edge's certificate for {@code *.<apps domain>}, made
 * again when the domain changes. Keys stay in the data directory (mode 600).
 */
final class LocalCa {

    static final String ROOT_CERTIFICATE = "ca.crt";
    private static final Duration OPENSSL_DEADLINE = Duration.ofSeconds(60);

    private final Path dir;

    LocalCa(Path dataDir) {
        this.dir = dataDir.resolve("ca");
    }

    Path rootCertificate() {
        return dir.resolve(ROOT_CERTIFICATE);
    }

    /** The PEM (certificate, then key) HAProxy serves for {@code *.domain}; made with the CA when missing. */
    Path serverPem(String domain) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path caCert = rootCertificate();
        if (!Files.exists(caKey) || !Files.exists(caCert)) {
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out",
                    caCert.toString(), "-days", "3650", "-subj", "/CN=Nanofleet local CA", "-addext",
                    "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            restrict(caKey);
        }
        Path pem = dir.resolve("edge-" + domain + ".pem");
        if (Files.exists(pem)) {
            return pem;
        }
        Path key = dir.resolve("edge-" + domain + ".key");
        Path csr = dir.resolve("edge-" + domain + ".csr");
        Path cert = dir.resolve("edge-" + domain + ".crt");
        Path ext = dir.resolve("edge-" + domain + ".ext");
        Files.writeString(ext, "subjectAltName=DNS:*." + domain + ",DNS:" + domain + "\nbasicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj",
                "/CN=*." + domain);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "825", "-extfile", ext.toString());
        Path partial = dir.resolve(pem.getFileName() + ".tmp");
        Files.writeString(partial, Files.readString(cert) + Files.readString(key));
        restrict(partial);
        Files.move(partial, pem, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(key);
        Files.deleteIfExists(csr);
        return pem;
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(OPENSSL_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl " + args[0] + " took over " + OPENSSL_DEADLINE);
        }
        if (process.exitValue() != 0) {
            throw new IOException("openssl " + args[0] + " failed (exit " + process.exitValue() + "); see " + log);
        }
    }

    private static void restrict(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
