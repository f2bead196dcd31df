package dev.nanofleet.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.edge.core.AppsDomain;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the edge's certificate comes from, each way its settings allow, with Debian's openssl doing the work. */
class EdgeTlsIT {

    private static final AppsDomain SHOP = new AppsDomain("shop.example.test");

    @TempDir
    Path dir;
    private Path data;
    private Openssl openssl;

    @BeforeEach
    void tools() throws IOException {
        HostTools.require("openssl");
        data = dir.resolve("data");
        openssl = new Openssl(dir.resolve("test-openssl.log"));
    }

    @Test
    void with_nothing_set_the_local_ca_issues_the_wildcard_once_and_again_when_it_nears_its_end() throws Exception {
        EdgeTls first = EdgeTls.prepare(tls(null, null, null), data, SHOP, Instant.now());

        assertThat(first.issuer()).hasValue(data.resolve("ca").resolve(EdgeCa.ROOT_CERTIFICATE));
        assertThat(verifies(first.pem(), first.issuer().orElseThrow())).isTrue();
        assertThat(openssl.output("x509", "-in", first.pem().toString(), "-noout", "-ext", "subjectAltName"))
                .contains("DNS:*.shop.example.test");
        String issued = Files.readString(first.pem());
        assertThat(EdgeTls.prepare(tls(null, null, null), data, SHOP, Instant.now()).pem()).hasContent(issued);

        // a certificate with a day left, where the issued one lives, is issued again
        Path shortLived = dir.resolve("short.pem");
        openssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("short.key").toString(),
                "-out", shortLived.toString(), "-days", "1", "-subj", "/CN=short");
        Files.copy(shortLived, first.pem(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        EdgeTls renewed = EdgeTls.prepare(tls(null, null, null), data, SHOP, Instant.now());
        assertThat(renewed.pem()).isEqualTo(first.pem());
        assertThat(verifies(renewed.pem(), renewed.issuer().orElseThrow())).isTrue();
        assertThat(openssl.succeeds("x509", "-in", renewed.pem().toString(), "-noout", "-checkend",
                Long.toString(EdgeCa.RENEW_BEFORE.toSeconds()))).isTrue();
    }

    @Test
    void an_operators_ca_issues_the_certificate_and_its_files_stay_as_they_were() throws Exception {
        Path caCert = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        operatorsCa(caCert, caKey);
        String caCertBefore = Files.readString(caCert);
        String caKeyBefore = Files.readString(caKey);

        EdgeTls tls = EdgeTls.prepare(tls(null, caCert, caKey), data, SHOP, Instant.now());

        assertThat(tls.issuer()).hasValue(caCert);
        assertThat(verifies(tls.pem(), caCert)).isTrue();
        assertThat(Files.readString(tls.pem())).contains(caCertBefore.strip());
        assertThat(caCert).hasContent(caCertBefore);
        assertThat(caKey).hasContent(caKeyBefore);
        try (Stream<Path> beside = Files.list(dir)) {
            assertThat(beside.map(p -> p.getFileName().toString())).doesNotContain("ca.srl");
        }
    }

    @Test
    void an_operators_ca_is_refused_when_it_is_no_ca_or_its_key_is_another() throws Exception {
        Path shop = write("shop.crt", TestCertificates.SHOP.certificate());
        Path caCert = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        operatorsCa(caCert, caKey);
        Path otherKey = write("other.key", TestCertificates.OTHER.privateKey());

        assertThatThrownBy(() -> EdgeTls.prepare(tls(null, shop, otherKey), data, SHOP, Instant.now()))
                .hasMessageContaining(EdgeTls.CA_CERTIFICATE_FILE).hasMessageContaining("is not a CA certificate");
        assertThatThrownBy(() -> EdgeTls.prepare(tls(null, caCert, otherKey), data, SHOP, Instant.now()))
                .hasMessageContaining(EdgeTls.CA_KEY_FILE).hasMessageContaining("could be issued");
        assertThatThrownBy(() -> EdgeTls.prepare(tls(null, caCert, null), data, SHOP, Instant.now()))
                .hasMessage(EdgeTls.CA_CERTIFICATE_FILE + " is set without " + EdgeTls.CA_KEY_FILE);
        assertThatThrownBy(() -> EdgeTls.prepare(tls(null, null, caKey), data, SHOP, Instant.now()))
                .hasMessage(EdgeTls.CA_KEY_FILE + " is set without " + EdgeTls.CA_CERTIFICATE_FILE);
        assertThatThrownBy(() -> EdgeTls.prepare(tls(null, caCert, dir.resolve("missing.key")), data, SHOP,
                Instant.now())).hasMessageContaining("cannot be read");
    }

    @Test
    void an_operators_certificate_is_served_as_it_is() throws Exception {
        Path file = write("shop.pem", TestCertificates.SHOP.certificate() + TestCertificates.CA.certificate()
                + TestCertificates.SHOP.privateKey());

        EdgeTls tls = EdgeTls.prepare(tls(file, null, null), data, SHOP, Instant.now());

        assertThat(tls.pem()).isEqualTo(file);
        assertThat(tls.issuer()).isEmpty();
    }

    @Test
    void an_operators_certificate_is_refused_for_another_domain_another_key_no_key_or_none_at_all() throws Exception {
        Path good = write("shop.pem", TestCertificates.SHOP.certificate() + TestCertificates.SHOP.privateKey());
        Path otherKey = write("other.pem", TestCertificates.SHOP.certificate() + TestCertificates.OTHER.privateKey());
        Path noKey = write("nokey.pem", TestCertificates.SHOP.certificate());
        Path keyOnly = write("keyonly.pem", TestCertificates.SHOP.privateKey());

        assertThatThrownBy(() -> EdgeTls.prepare(tls(good, null, null), data, new AppsDomain("apps.localhost"),
                Instant.now())).hasMessageContaining(EdgeTls.CERTIFICATE_FILE)
                .hasMessageContaining("does not name *.apps.localhost");
        assertThatThrownBy(() -> EdgeTls.prepare(tls(otherKey, null, null), data, SHOP, Instant.now()))
                .hasMessageContaining("its key is not the first certificate's");
        assertThatThrownBy(() -> EdgeTls.prepare(tls(noKey, null, null), data, SHOP, Instant.now()))
                .hasMessageContaining("holds no private key");
        assertThatThrownBy(() -> EdgeTls.prepare(tls(keyOnly, null, null), data, SHOP, Instant.now()))
                .hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> EdgeTls.prepare(tls(good, null, null), data, SHOP,
                Instant.parse("2127-01-01T00:00:00Z"))).hasMessageContaining("expired at");
        assertThatThrownBy(() -> EdgeTls.prepare(tls(good, good, good), data, SHOP, Instant.now()))
                .hasMessageContaining("not both");
    }

    /** A CA such as an operator's PKI would hand over: a certificate that may sign others, and its key. */
    private void operatorsCa(Path certificate, Path key) throws Exception {
        openssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                certificate.toString(), "-days", "30", "-subj", "/CN=Operator issuing CA", "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private boolean verifies(Path pem, Path ca) throws Exception {
        return openssl.succeeds("verify", "-CAfile", ca.toString(), pem.toString());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static EdgeConfig.Tls tls(Path certificate, Path caCertificate, Path caKey) {
        return new EdgeConfig.Tls() {
            @Override
            public Optional<Path> certificateFile() {
                return Optional.ofNullable(certificate);
            }

            @Override
            public Optional<Path> caCertificateFile() {
                return Optional.ofNullable(caCertificate);
            }

            @Override
            public Optional<Path> caKeyFile() {
                return Optional.ofNullable(caKey);
            }
        };
    }
}
