package dev.nanofleet.controlapi.domain;

import static dev.nanofleet.testsupport.TestCertificates.EC;
import static dev.nanofleet.testsupport.TestCertificates.OLD;
import static dev.nanofleet.testsupport.TestCertificates.OTHER;
import static dev.nanofleet.testsupport.TestCertificates.SHOP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.FieldError;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomDomainRulesTest {

    private static final String APPS = "apps.localhost";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void a_certificate_naming_the_host_with_its_key_passes_and_the_host_is_lower_cased() {
        CustomDomainRules.Result result = CustomDomainRules.check("Shop.Example.TEST", SHOP.certificate(),
                SHOP.privateKey(), APPS, NOW);
        assertThat(result.errors()).isEmpty();
        assertThat(result.checked().hostname()).isEqualTo("shop.example.test");
        assertThat(result.checked().certificateSha256()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void a_wildcard_name_covers_one_label_more_and_no_deeper() {
        assertThat(CustomDomainRules.check("www.shop.example.test", SHOP.certificate(), SHOP.privateKey(), APPS, NOW)
                .valid()).isTrue();
        assertThat(fields(CustomDomainRules.check("a.b.shop.example.test", SHOP.certificate(), SHOP.privateKey(),
                APPS, NOW))).containsExactly("certificate");
        assertThat(fields(CustomDomainRules.check("example.test", SHOP.certificate(), SHOP.privateKey(), APPS, NOW)))
                .containsExactly("certificate");
    }

    @Test
    void a_pkcs1_rsa_key_and_an_ec_key_are_read() {
        assertThat(CustomDomainRules.check("shop.example.test", SHOP.certificate(), SHOP.pkcs1PrivateKey(), APPS, NOW)
                .errors()).isEmpty();
        assertThat(CustomDomainRules.check("ec.example.test", EC.certificate(), EC.privateKey(), APPS, NOW).errors())
                .isEmpty();
    }

    @Test
    void a_key_of_another_certificate_is_refused_by_field() {
        List<FieldError> errors = CustomDomainRules.check("shop.example.test", SHOP.certificate(), OTHER.privateKey(),
                APPS, NOW).errors();
        assertThat(errors).extracting(FieldError::field, FieldError::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("privateKey", "is not the key of the certificate"));
        assertThat(fields(CustomDomainRules.check("ec.example.test", EC.certificate(), SHOP.privateKey(), APPS, NOW)))
                .containsExactly("privateKey");
    }

    @Test
    void an_expired_certificate_and_one_not_yet_valid_are_refused() {
        CustomDomainRules.Result expired = CustomDomainRules.check("old.example.test", OLD.certificate(),
                OLD.privateKey(), APPS, NOW);
        assertThat(expired.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("certificate");
            assertThat(e.message()).startsWith("expired at 2021-01-01");
        });
        assertThat(CustomDomainRules.check("old.example.test", OLD.certificate(), OLD.privateKey(), APPS,
                Instant.parse("2019-06-01T00:00:00Z")).errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("is not valid before 2020-01-01"));
    }

    @Test
    void names_in_the_apps_domain_wildcards_bare_names_and_addresses_are_refused() {
        assertThat(CustomDomainRules.hostname("hello-globex.apps.localhost", APPS)).get().asString()
                .contains("platform's domain");
        assertThat(CustomDomainRules.hostname("APPS.localhost", APPS)).isPresent();
        assertThat(CustomDomainRules.hostname("*.example.test", APPS)).get().asString().contains("wildcard");
        assertThat(CustomDomainRules.hostname("localhost", APPS)).get().asString().contains("fully qualified");
        assertThat(CustomDomainRules.hostname("10.0.0.1", APPS)).get().asString().contains("IP address");
        assertThat(CustomDomainRules.hostname("bad_label.example.test", APPS)).get().asString()
                .contains("'bad_label'");
        assertThat(CustomDomainRules.hostname("-x.example.test", APPS)).isPresent();
        assertThat(CustomDomainRules.hostname("a".repeat(250) + ".test", APPS)).get().asString().contains("253");
        assertThat(CustomDomainRules.hostname(null, APPS)).get().asString().startsWith("is required");
        assertThat(CustomDomainRules.hostname("myapps.localhost", APPS)).isEmpty();
    }

    @Test
    void every_missing_or_unreadable_field_is_named_at_once() {
        assertThat(fields(CustomDomainRules.check(null, null, null, APPS, NOW))).containsExactly("hostname",
                "certificate", "privateKey");
        assertThat(fields(CustomDomainRules.check("shop.example.test", "not a pem", "-----BEGIN PRIVATE KEY-----\n"
                + "AAAA\n-----END PRIVATE KEY-----", APPS, NOW))).containsExactly("certificate", "privateKey");
        String garbled = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assertThat(CustomDomainRules.check("shop.example.test", garbled, SHOP.privateKey(), APPS, NOW).errors())
                .extracting(FieldError::message).containsExactly("is not a readable X.509 certificate chain");
    }

    @Test
    void an_encrypted_key_two_keys_and_oversized_fields_are_refused() {
        assertThat(CustomDomainRules.check("shop.example.test", SHOP.certificate(),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", APPS, NOW)
                .errors()).extracting(FieldError::message).singleElement().asString().startsWith("is encrypted");
        assertThat(fields(CustomDomainRules.check("shop.example.test", SHOP.certificate(),
                SHOP.privateKey() + OTHER.privateKey(), APPS, NOW))).containsExactly("privateKey");
        String huge = SHOP.certificate() + "#".repeat(CustomDomainRules.MAX_PEM_CHARS);
        assertThat(CustomDomainRules.check("shop.example.test", huge, SHOP.privateKey(), APPS, NOW).errors())
                .extracting(FieldError::message).containsExactly("is longer than 65536 characters");
    }

    @Test
    void a_chain_keeps_the_leaf_first() {
        String chain = SHOP.certificate() + dev.nanofleet.testsupport.TestCertificates.CA.certificate();
        CustomDomainRules.Result result = CustomDomainRules.check("shop.example.test", chain, SHOP.privateKey(), APPS,
                NOW);
        assertThat(result.errors()).isEmpty();
        assertThat(result.checked().leaf().getSubjectX500Principal().getName()).isEqualTo("CN=shop.example.test");
        assertThat(CustomDomainRules.check("shop.example.test", dev.nanofleet.testsupport.TestCertificates.CA
                .certificate() + SHOP.certificate(), SHOP.privateKey(), APPS, NOW).valid()).isFalse();
    }

    private static List<String> fields(CustomDomainRules.Result result) {
        return result.errors().stream().map(FieldError::field).distinct().toList();
    }
}
