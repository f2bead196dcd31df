package dev.nanofleet.controlapi.exec;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The exec WebSocket protocol (control-api/README.md, "Exec"): binary messages, the first byte the channel, as
 * Kubernetes' {@code v5.channel.k8s.io}. The server answers the subprotocol {@link #NAME} to a client that offers it;
 * a browser, which cannot set an Authorization header on a WebSocket, offers its token as the subprotocol
 * {@code base64url.bearer.nanofleet.dev.<base64url(token)>} beside it.
 */
@ApplicationScoped
public class ExecProtocol implements HttpServerOptionsCustomizer {

    public static final String NAME = "v1.exec.nanofleet.dev";
    public static final String BEARER_PREFIX = "base64url.bearer.nanofleet.dev.";

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.addWebSocketSubProtocol(NAME);
    }

    /** The token a browser put into {@code Sec-WebSocket-Protocol}, if any. */
    public static Optional<String> bearerFromProtocols(String header) {
        if (header == null) {
            return Optional.empty();
        }
        for (String protocol : header.split(",")) {
            String p = protocol.strip();
            if (p.startsWith(BEARER_PREFIX)) {
                try {
                    return Optional.of(new String(Base64.getUrlDecoder().decode(p.substring(BEARER_PREFIX.length())),
                            StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
