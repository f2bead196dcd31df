package dev.nanofleet.edge.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.TestCertificates;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final AppsDomain SHOP_DOMAIN = new AppsDomain("shop.example.test");

    @Test
    void a_wildcard_certificate_of_the_apps_domain_valid_now_serves() {
        assertThat(CertificateRules.servedProblem(List.of(x509(TestCertificates.SHOP), x509(TestCertificates.CA)),
                SHOP_DOMAIN, NOW)).isEmpty();
    }

    @Test
    void a_certificate_that_does_not_name_the_wildcard_is_refused_with_the_names_it_has() {
        assertThat(CertificateRules.servedProblem(List.of(x509(TestCertificates.SHOP)), new AppsDomain(
                "apps.localhost"), NOW)).hasValueSatisfying(why -> assertThat(why)
                        .contains("does not name *.apps.localhost").contains("*.shop.example.test"));
        // the name itself is not enough: a deployment's hostname is one label below it
        assertThat(CertificateRules.servedProblem(List.of(x509(TestCertificates.EC)), new AppsDomain(
                "ec.example.test"), NOW)).hasValueSatisfying(why -> assertThat(why).contains("*.ec.example.test"));
    }

    @Test
    void a_certificate_outside_its_validity_is_refused() {
        assertThat(CertificateRules.servedProblem(List.of(x509(TestCertificates.SHOP)), SHOP_DOMAIN,
                Instant.parse("2127-01-01T00:00:00Z"))).hasValueSatisfying(
                        why -> assertThat(why).startsWith(
                                "expired at"));
        assertThat(CertificateRules.servedProblem(List.of(x509(TestCertificates.SHOP)), SHOP_DOMAIN,
                Instant.parse("2001-01-01T00:00:00Z"))).hasValueSatisfying(
                        why -> assertThat(why).startsWith(
                                "is not valid before"));
    }

    @Test
    void an_empty_file_serves_nothing() {
        assertThat(CertificateRules.servedProblem(List.of(), SHOP_DOMAIN, NOW)).hasValue("holds no certificate");
    }

    @Test
    void only_a_ca_valid_now_may_issue() {
        assertThat(CertificateRules.issuerProblem(x509(TestCertificates.CA), NOW)).isEmpty();
        assertThat(CertificateRules.issuerProblem(x509(TestCertificates.SHOP), NOW))
                .hasValueSatisfying(why -> assertThat(why).contains("is not a CA certificate"));
        assertThat(CertificateRules.issuerProblem(x509(TestCertificates.CA), Instant.parse("2127-01-01T00:00:00Z")))
                .hasValueSatisfying(why -> assertThat(why).startsWith("expired at"));
    }

    private static X509Certificate x509(TestCertificates certificate) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(certificate.certificate().getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
