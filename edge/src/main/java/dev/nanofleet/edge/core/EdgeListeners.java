package dev.nanofleet.edge.core;

import java.nio.file.Path;

/**
 * Where HAProxy listens and the files its configuration names.
 *
 * @param bindAddress the address both listeners bind (127.0.0.1 on the local platform)
 * @param httpsPort TLS, terminated with {@code certificate}
 * @param httpPort plain HTTP: answers with a redirect to the same URL on {@code httpsPort}
 * @param certificate a PEM file with the certificate for {@code *.<apps domain>}, its chain, and its key
 * @param errorPage a raw HTTP response HAProxy sends as its 503 (no serving replica)
 * @param hostMap the map file of hostname -> backend name that the configuration reads
 * @param certificateList HAProxy's crt-list file: each custom domain's certificate file and the name (SNI) it serves
 * @param adminSocket HAProxy's runtime API socket; it also hands the listeners to the next worker on reload
 */
public record EdgeListeners(String bindAddress, int httpsPort, int httpPort, Path certificate, Path errorPage,
        Path hostMap, Path certificateList, Path adminSocket) {
}
