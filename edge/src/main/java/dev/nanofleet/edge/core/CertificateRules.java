package dev.nanofleet.edge.core;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a certificate the operator gives the edge must be, decided before HAProxy sees it, so a wrong file stops the
 * edge's start with the reason rather than serving visitors a certificate their browsers refuse.
 */
public final class CertificateRules {

    /** Subject alternative name type of a DNS name (RFC 5280). */
    private static final int DNS_NAME = 2;
    /** Key usage bit of a key that signs certificates (RFC 5280). */
    private static final int KEY_CERT_SIGN = 5;

    private CertificateRules() {
    }

    /**
     * @param chain the PEM file's certificates, the served one first
     * @return why the chain cannot serve {@code domain}'s deployments, or empty when it can
     */
    public static Optional<String> servedProblem(List<X509Certificate> chain, AppsDomain domain, Instant now) {
        if (chain.isEmpty()) {
            return Optional.of("holds no certificate");
        }
        X509Certificate served = chain.getFirst();
        if (!dnsNames(served).contains(domain.wildcard())) {
            return Optional.of("its first certificate does not name " + domain.wildcard() + " (it names "
                    + String.join(", ", dnsNames(served)) + ")");
        }
        return validityProblem(served, now);
    }

    /** @return why {@code ca} cannot sign the edge's certificate, or empty when it can */
    public static Optional<String> issuerProblem(X509Certificate ca, Instant now) {
        if (ca.getBasicConstraints() < 0) {
            return Optional.of("is not a CA certificate (no basicConstraints CA:TRUE)");
        }
        boolean[] usage = ca.getKeyUsage();
        if (usage != null && (usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN])) {
            return Optional.of("may not sign certificates (its key usage lacks keyCertSign)");
        }
        return validityProblem(ca, now);
    }

    private static Optional<String> validityProblem(X509Certificate certificate, Instant now) {
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return Optional.of("is not valid before " + certificate.getNotBefore().toInstant());
        }
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            return Optional.of("expired at " + certificate.getNotAfter().toInstant());
        }
        return Optional.empty();
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (names == null) {
            return List.of();
        }
        return names.stream().filter(n -> n.size() == 2 && Integer.valueOf(DNS_NAME).equals(n.get(0)))
                .map(n -> ((String) n.get(1)).toLowerCase(Locale.ROOT)).toList();
    }
}
