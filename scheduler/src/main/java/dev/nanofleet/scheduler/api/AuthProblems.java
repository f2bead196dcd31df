package dev.nanofleet.scheduler.api;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A missing, invalid or under-privileged token answers an RFC 9457 problem, with the same types control-api uses, not
 * an empty body. Each mapper names the exact exception so it wins over Quarkus' built-in ones.
 */
public class AuthProblems {

    static final String MEDIA_TYPE = "application/problem+json";

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(403, "forbidden", "Forbidden", "the token lacks the role operator, which this service needs",
                uri).build();
    }

    private static Response unauthorized(UriInfo uri) {
        return problem(401, "unauthorized", "Authentication required", "a valid bearer token is required", uri)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    private static Response.ResponseBuilder problem(int status, String type, String title, String detail,
            UriInfo uri) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:nanofleet:problem:" + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", uri.getPath());
        return Response.status(status).type(MEDIA_TYPE).entity(body);
    }
}
