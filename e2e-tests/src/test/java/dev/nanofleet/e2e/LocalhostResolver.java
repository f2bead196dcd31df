package dev.nanofleet.e2e;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Resolves {@code *.localhost} to loopback in the test JVM, as curl and browsers do (RFC 6761) and glibc does not, so
 * the tests reach the edge by a deployment's real hostname: the TLS handshake then sends it as SNI and checks the
 * certificate against it. Names under {@code .test} (reserved for testing by the same RFC) stand for tenants' custom
 * domains and go to loopback too. Every other name goes to the built-in resolver. Registered in META-INF/services.
 */
public final class LocalhostResolver extends InetAddressResolverProvider {

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                String name = host.toLowerCase(Locale.ROOT);
                if (name.endsWith(".localhost") || name.endsWith(".test")) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1}));
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "nanofleet-localhost";
    }
}
