package dev.nanofleet.tenantbilling.api;

import java.net.URI;

/** The kinds of problem the billing API answers with: the same type URIs as control-api, so clients share one switch. */
public enum ProblemType {
    VALIDATION(400, "validation", "The request is invalid"),
    MALFORMED(400, "malformed-request", "The request body cannot be read"),
    UNAUTHORIZED(401, "unauthorized", "Authentication required"),
    FORBIDDEN(403, "forbidden", "Forbidden"),
    NOT_FOUND(404, "not-found", "Not found"),
    /** control-api, which vouches for API tokens, cannot be asked now; the request may be retried. */
    IDENTITY_UNAVAILABLE(503, "identity-unavailable", "Identity service unavailable"),
    INTERNAL(500, "internal", "Internal error");

    private static final String BASE = "urn:nanofleet:problem:";

    private final int status;
    private final URI uri;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.uri = URI.create(BASE + slug);
        this.title = title;
    }

    public int status() {
        return status;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }
}
