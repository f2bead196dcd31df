package dev.nanofleet.controlapi.problem;

import dev.nanofleet.controlapi.security.BearerRejected;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nanofleet.controlapi.deployment.ConcurrentChange;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders every failure as an RFC 9457 problem, so clients see one error shape whether the body, the token or the
 * state was wrong. Each mapper names the exact exception type it handles so it wins over Quarkus' built-in mappers.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Problem problem = Problem.of(e, instance(uri));
        return Response.status(e.type().status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return bodyProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return bodyProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response valueInstantiation(ValueInstantiationException e, UriInfo uri) {
        return bodyProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        return bodyProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        return bodyProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorizedResponse(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        // an API token that is revoked, expired or unknown: say which, so a script's log tells its owner what to do
        return BearerRejected.reason(e).map(reason -> Response
                .fromResponse(render(ProblemType.UNAUTHORIZED, reason, uri, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build())
                .orElseGet(() -> unauthorizedResponse(uri));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return render(ProblemType.FORBIDDEN, "the token lacks the role this operation needs", uri, null);
    }

    @ServerExceptionMapper
    public Response optimisticLock(OptimisticLockException e, UriInfo uri) {
        return render(ProblemType.CONFLICT, "the resource changed concurrently; retry the request", uri, null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return render(ProblemType.NOT_FOUND, "no resource at " + uri.getPath(), uri, null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return bodyProblem(json, uri); // the JSON reader wraps some Jackson failures
        }
        if (e instanceof NotAllowedException || e instanceof NotSupportedException
                || e.getResponse().getStatus() < 500) {
            int status = e.getResponse().getStatus();
            Problem problem = new Problem(URI.create("about:blank"), Response.Status.fromStatusCode(status) == null
                    ? "Error"
                    : Response.Status.fromStatusCode(status).getReasonPhrase(), status, e.getMessage(), instance(uri),
                    null);
            return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
        }
        LOG.errorf(e, "request %s failed", uri.getPath());
        return render(ProblemType.INTERNAL, "unexpected error", uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (ConcurrentChange.isVersionConflict(e)) { // the commit lost a race, e.g. wrapped in a RollbackException
            return optimisticLock(null, uri);
        }
        LOG.errorf(e, "request %s failed", uri.getPath());
        return render(ProblemType.INTERNAL, "unexpected error; the server log has the details", uri, null);
    }

    private static Response unauthorizedResponse(UriInfo uri) {
        Response response = render(ProblemType.UNAUTHORIZED, "a valid bearer token is required", uri, null);
        return Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private static Response bodyProblem(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = JsonPaths.of(mapping.getPath());
            return render(ProblemType.VALIDATION, "the request has 1 invalid field", uri,
                    List.of(new FieldError(field, describe(e))));
        }
        return render(ProblemType.MALFORMED, "the body is not valid JSON: " + e.getOriginalMessage(), uri, null);
    }

    /** Jackson's own message names Java types; say what the client needs instead. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof InvalidFormatException invalid) {
            Class<?> target = invalid.getTargetType();
            if (target != null && target.isEnum()) {
                return "'" + invalid.getValue() + "' is not one of " + EnumValues.of(target);
            }
            return "'" + invalid.getValue() + "' is not a valid " + JsonPaths.typeName(target);
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return e.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException mismatched) {
            return "expected " + JsonPaths.typeName(mismatched.getTargetType());
        }
        return e.getOriginalMessage();
    }

    static Response render(ProblemType type, String detail, UriInfo uri, List<FieldError> errors) {
        Problem problem = new Problem(type.uri(), type.title(), type.status(), detail, instance(uri), errors);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /**
     * The decoded request path as a URI reference. Built from parts, which escapes what a URI cannot hold (a space, a
     * brace): {@code URI.create} of the decoded path would throw, and the error page would become a 500.
     */
    public static URI instance(UriInfo uri) {
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
