package dev.nanofleet.controlapi.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Turns away, before routing and authentication, requests that no resource could read: a request target that is not
 * a valid URI path (a raw space, brace or control character, a broken {@code %} escape, an escaped control character),
 * a {@code Content-Length} that is not a number, or a body declared larger than {@code quarkus.http.limits.max-body-size}.
 * Each answer is a problem, as from the resources, not the server's own HTML or empty page. Also renders the client
 * errors the HTTP layer itself raises after this point (a chunked body over the limit) as problems.
 */
@ApplicationScoped
public class RequestGuard {

    /** Before Quarkus' own body-size check (order -2), which would answer with an empty body. */
    static final int ORDER = -10;

    private static final Logger LOG = Logger.getLogger(RequestGuard.class);

    private final ObjectMapper json;
    private final long maxBodyBytes;

    RequestGuard(ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.json = json;
        this.maxBodyBytes = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check).failureHandler(this::failed);
    }

    private void check(RoutingContext context) {
        Optional<String> badTarget = RequestTargets.problem(context.request().uri());
        if (badTarget.isPresent()) {
            reply(context, ProblemType.MALFORMED, badTarget.get(), null);
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long bytes;
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = -1;
            }
            if (bytes < 0) {
                reply(context, ProblemType.MALFORMED, "Content-Length must be a number of bytes", null);
                return;
            }
            if (bytes > maxBodyBytes) {
                reply(context, ProblemType.PAYLOAD_TOO_LARGE, "the body is " + bytes + " bytes; at most "
                        + maxBodyBytes + " are accepted", null);
                return;
            }
        }
        context.next();
    }

    /** A failure the HTTP layer raised with a client status (e.g. 413 for a chunked body) becomes a problem too. */
    private void failed(RoutingContext context) {
        int status = context.statusCode();
        if (context.response().headWritten() || status < 400 || status > 499) {
            context.next();
            return;
        }
        ProblemType type = status == 413 ? ProblemType.PAYLOAD_TOO_LARGE : ProblemType.MALFORMED;
        reply(context, type, type == ProblemType.PAYLOAD_TOO_LARGE
                ? "the body is larger than " + maxBodyBytes + " bytes"
                : "the request cannot be read", null);
    }

    private void reply(RoutingContext context, ProblemType type, String detail, URI instance) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(new Problem(type.uri(), type.title(), type.status(), detail, instance, null));
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "cannot render a problem for %s", type);
            body = new byte[0];
        }
        var response = context.response().setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (type == ProblemType.PAYLOAD_TOO_LARGE) {
            response.putHeader(HttpHeaders.CONNECTION, "close"); // the unread body is not drained
        }
        response.end(io.vertx.core.buffer.Buffer.buffer(body));
    }
}
