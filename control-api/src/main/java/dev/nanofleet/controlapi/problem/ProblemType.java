package dev.nanofleet.controlapi.problem;

import java.net.URI;

/** The kinds of problem the API answers with; each has a stable type URI clients may switch on. */
public enum ProblemType {
    VALIDATION(400, "validation", "The request is invalid"),
    MALFORMED(400, "malformed-request",
            "The request body cannot be read"),
    UNAUTHORIZED(401, "unauthorized", "Authentication required"),
    FORBIDDEN(
            403, "forbidden", "Forbidden"),
    NOT_FOUND(404, "not-found", "Not found"),
    CONFLICT(409, "conflict",
            "Conflict"),
    /** An If-Match named a version the resource is no longer at. */
    PRECONDITION_FAILED(412, "precondition-failed", "Precondition failed"),
    /** An Idempotency-Key was used before with a different request. */
    IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "Idempotency key reused"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
    ISOLATION_NOT_ALLOWED(422, "isolation-not-allowed",
            "Isolation mode not allowed"),
    /** A create or scale would take the tenant past one of its quotas (the problem's {@code quota} names it). */
    QUOTA_EXCEEDED(422, "quota-exceeded", "Quota exceeded"),
    /**
     * The tenant's hard spend limit is reached: a request that would spend more waits for billing to lift the hold (the
     * problem's {@code limit}, {@code spend}, {@code currency} and {@code periodEnd} say which).
     */
    SPEND_LIMIT_REACHED(402, "spend-limit-reached", "Spend limit reached"),
    /** The caller's tenant made more requests than its rate limit allows; the answer says when to retry. */
    RATE_LIMITED(429, "rate-limited", "Too many requests"),
    /** A node registered an agent URL control-api will not call: not its own address, or not a bare http origin. */
    AGENT_URL_NOT_ALLOWED(422, "agent-url-not-allowed", "Agent URL not allowed"),
    /** An ended instance's output was kept for the retention period, and then removed. */
    LOGS_DELETED(410, "logs-deleted", "Logs deleted"),
    /** A node did not answer the way the node API says it must (a gateway's 502). */
    NODE_BAD_ANSWER(502, "node-bad-answer", "Node answered badly"),
    /** A node cannot be reached at all. */
    NODE_UNREACHABLE(503, "node-unreachable", "Node unreachable"),
    NODE_UNAVAILABLE(503, "node-unavailable", "Node unavailable"),
    /** The identity provider (Keycloak) could not make a tenant's user; nothing was stored. */
    DIRECTORY_UNAVAILABLE(503, "directory-unavailable", "Identity directory unavailable"),
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
