package dev.nanofleet.tenantbilling.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nanofleet.tenantbilling.security.ApiTokenFailures;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders every failure as an RFC 9457 problem, as control-api does, so clients see one error shape whether the token,
 * the path or the body was wrong. Each mapper names the exact exception type it handles so it wins over Quarkus'
 * built-in mappers.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** When a client may try again after control-api could not be asked about its token. */
    static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return render(e.type(), e.getMessage(), uri, e.errors());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        return render(ProblemType.MALFORMED, "the body is not valid JSON: " + e.getOriginalMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorizedResponse("a valid bearer token is required", uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        Optional<String> unavailable = ApiTokenFailures.unavailability(e);
        if (unavailable.isPresent()) {
            return Response.fromResponse(render(ProblemType.IDENTITY_UNAVAILABLE, unavailable.get(), uri, null))
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
        }
        // an API token control-api refused: say why (revoked, expired), so a script's log tells its owner what to do
        return ApiTokenFailures.rejection(e).map(reason -> Response
                .fromResponse(render(ProblemType.UNAUTHORIZED, reason, uri, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build())
                .orElseGet(() -> unauthorizedResponse("a valid bearer token is required", uri));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return render(ProblemType.FORBIDDEN, "the token lacks the role this operation needs", uri, null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return render(ProblemType.NOT_FOUND, "no resource at " + uri.getPath(), uri, null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status < 500) { // 405, 406, 415 and the like, raised by the HTTP layer
            Response.Status known = Response.Status.fromStatusCode(status);
            Problem problem = new Problem(URI.create("about:blank"), known == null ? "Error" : known.getReasonPhrase(),
                    status, e.getMessage(), instance(uri), null);
            return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
        }
        LOG.errorf(e, "request %s failed", uri.getPath());
        return render(ProblemType.INTERNAL, "unexpected error; the server log has the details", uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "request %s failed", uri.getPath());
        return render(ProblemType.INTERNAL, "unexpected error; the server log has the details", uri, null);
    }

    private static Response unauthorizedResponse(String detail, UriInfo uri) {
        return Response.fromResponse(render(ProblemType.UNAUTHORIZED, detail, uri, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    static Response render(ProblemType type, String detail, UriInfo uri, List<FieldError> errors) {
        Problem problem = new Problem(type.uri(), type.title(), type.status(), detail, instance(uri), errors);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The decoded request path as a URI reference, built from parts so a path a URI cannot hold gives no 500. */
    static URI instance(UriInfo uri) {
        if (uri == null) {
            return null;
        }
        try {
            return new URI(null, null, uri.getPath(), null);
        } catch (URISyntaxException | RuntimeException e) {
            return null; // no instance beats no problem
        }
    }
}
