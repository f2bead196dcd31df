package dev.nanofleet.edge.core;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The domain under which every deployment gets its hostname {@code <deployment name>-<tenant>.<domain>}, e.g.
 * {@code hello-globex.apps.localhost}. A name that does not make a DNS label (over 63 characters, or characters a
 * label may not hold) gets no hostname rather than a wrong one.
 */
public record AppsDomain(String domain) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public AppsDomain {
        domain = domain == null ? "" : domain.toLowerCase(Locale.ROOT);
        if (domain.isEmpty() || domain.startsWith(".") || domain.endsWith(".")) {
            throw new IllegalArgumentException("the apps domain must be a DNS name such as apps.localhost, not '"
                    + domain + "'");
        }
        for (String label : domain.split("\\.")) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("the apps domain '" + domain + "' has an invalid label '" + label
                        + "'");
            }
        }
    }

    /** The deployment's hostname, or empty when its name and tenant do not make one DNS label. */
    public Optional<String> hostname(String name, String tenant) {
        if (name == null || tenant == null) {
            return Optional.empty();
        }
        String label = (name + "-" + tenant).toLowerCase(Locale.ROOT);
        return LABEL.matcher(label).matches() ? Optional.of(label + "." + domain) : Optional.empty();
    }

    /** Whether {@code hostname} is the domain or a name in it: names the platform gives, never a tenant. */
    public boolean contains(String hostname) {
        String host = hostname.toLowerCase(Locale.ROOT);
        return host.equals(domain) || host.endsWith("." + domain);
    }

    /** The wildcard name the edge's certificate covers. */
    public String wildcard() {
        return "*." + domain;
    }
}
